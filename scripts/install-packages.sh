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
# A desktop's unattended-upgrades holds apt's and dpkg's locks for minutes after boot: wait for
# them (up to 20 minutes, saying so) rather than fail at once. apt-get install waits by itself
# (DPkg::Lock::Timeout); apt-get update does not, so it is tried again while a lock is the reason.
lock_wait=(-o DPkg::Lock::Timeout=1200)
said=""
for ((waited = 0; ; waited += 10)); do
    if output=$($SUDO apt-get "${lock_wait[@]}" update -q 2>&1); then break; fi
    if ! grep -q "Could not get lock" <<<"$output" || ((waited >= 1200)); then
        echo "$output" >&2
        exit 1
    fi
    [[ -n $said ]] || echo "$who: another package manager holds apt's lock; waiting for it (up to 20 minutes)"
    said=1
    sleep 10
done
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${lock_wait[@]}" install -y -q --no-install-recommends "${missing[@]}"
