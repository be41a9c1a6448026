#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks each installed file with the tool that
# owns its format, then builds the Debian package, runs lintian on it, unpacks it into a
# temporary root and runs the program's --version from there.
#   tests/install/check_install.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
share=$prefix/share
app_id=org.vaeexplorer.vaeexplorer
for file in bin/vae-explorer share/applications/$app_id.desktop share/metainfo/$app_id.metainfo.xml \
    share/icons/hicolor/scalable/apps/$app_id.svg share/man/man1/vae-explorer.1.gz \
    share/bash-completion/completions/vae-explorer share/doc/vae-explorer/README.md; do
    [[ -s $prefix/$file ]] || fail "$file was not installed"
done
for size in 48 128 256; do
    png=$share/icons/hicolor/${size}x${size}/apps/$app_id.png
    [[ $(file -b "$png") == *"PNG image data, $size x $size"* ]] || fail "$png is not a $size x $size PNG"
done

desktop-file-validate "$share/applications/$app_id.desktop"
appstreamcli validate --no-net --pedantic "$share/metainfo/$app_id.metainfo.xml"
# groff's warnings are the man page's lint (man-db's own check, as lintian runs it).
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$share/man/man1/vae-explorer.1.gz" 2>&1 >/dev/null)
[[ -z $warnings ]] || fail "the man page: $warnings"
zcat "$share/man/man1/vae-explorer.1.gz" | grep -q -- '\\-\\-latent\\-dim' || fail "the man page lacks train's --latent-dim"

# The completion offers what the command table says.
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vae_explorer; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$share/bash-completion/completions/vae-explorer" "$@"
}
[[ $(complete_words vae-explorer tr) == train ]] || fail "completion: 'tr' does not complete to train"
[[ $(complete_words vae-explorer train --latent-d) == --latent-dim ]] || fail "completion: no --latent-dim for train"
[[ $(complete_words vae-explorer train --arch '' | sort | tr '\n' ' ') == "conv mlp " ]] || fail "completion: --arch's choices"
[[ -z $(complete_words vae-explorer encode --latent-d) ]] || fail "completion: encode offers train's options"

# The Debian package: Depends from dpkg-shlibdeps, lintian without errors, and a program that runs.
(cd "$build" && cpack -G DEB -B "$work/package" >/dev/null)
deb=$(ls "$work"/package/vae-explorer_*.deb)
dpkg-deb --field "$deb" Depends | grep -q 'libtorch1.13' || fail "$deb: Depends lacks libtorch1.13"
report=$(lintian --fail-on error "$deb" 2>&1 | grep -v "running with root privileges") || true
lintian --fail-on error "$deb" >/dev/null 2>&1 || fail "lintian finds errors in $deb: $report"
[[ -z $report ]] || echo "$report" | sed "s/^/lintian: /"
dpkg-deb -x "$deb" "$work/root"
version=$("$work/root/usr/bin/vae-explorer" --version | head -1)
[[ $version == "vae-explorer "* ]] || fail "the unpacked program's --version said '$version'"
echo "check_install: installed files validate; $(basename "$deb") passes lintian; its program says $version"
