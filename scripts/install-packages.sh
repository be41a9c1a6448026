#!/usr/bin/env bash
# Installs those of the named Debian packages that are missing (one apt-get call, no
# recommends), as root or through sudo. Every set-up script installs through this one.
#   scripts/install-packages.sh WHO PACKAGE...
set -euo pipefail
who=$1
shift
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]})) || exit 0
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "$who: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
