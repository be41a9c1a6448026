#!/usr/bin/env bash
# Replays issue 22's sweep: about 200 hostile or edge inputs against every surface (options, run
# files, checkpoints, IDX folders, image folders, encode/eval/interpolate, launcher variables and
# fake rendezvous masters, run folders). Each runs under /usr/bin/time -v with a time limit, and
# is judged: no crash, no hang (past --dist-timeout + 5 s where one is set, else 60 s), at most
# 400 MB of RSS, a refusal is one stderr line that names the file, option, host or port, and a
# failed run leaves an existing run folder exactly as it was and no new one.
# Usage: bench/hostile-inputs.sh [REPORT.tsv]   (after a build of build/; needs MNIST fetched)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
VAE=$repo/build/app/vae-explorer
report=${1:-/dev/null}
[[ -x $VAE ]] || { echo "hostile-inputs: build/app/vae-explorer is not built" >&2; exit 1; }
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}; $(nproc) cores; $(date -u +%FT%TZ)"

work=$(mktemp -d /tmp/hostile-inputs.XXXXXX)
helpers=()  # PIDs of the listeners and writers this script starts; ended by PID
cleanup() {
    ((${#helpers[@]})) && { kill "${helpers[@]}" 2>/dev/null; wait "${helpers[@]}" 2>/dev/null; }
    mountpoint -q "$work/full" 2>/dev/null && umount "$work/full"
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export XDG_DATA_HOME=$work/xdg   # nothing the sweep writes lands in the user's folders
mkdir -p "$XDG_DATA_HOME/vae-explorer"
ln -s "${VAE_EXPLORER_MNIST_DIR:-$HOME/.local/share/vae-explorer/mnist}" "$XDG_DATA_HOME/vae-explorer/mnist"
unset VAE_EXPLORER_MNIST_DIR RANK WORLD_SIZE MASTER_ADDR MASTER_PORT OMPI_COMM_WORLD_RANK \
      OMPI_COMM_WORLD_SIZE SLURM_PROCID SLURM_NTASKS

T=(train --dataset mnist --epochs 1 --hidden 16 --threads 1)
echo "fixtures in $work"
"$VAE" "${T[@]}" --out good >/dev/null 2>&1 || { echo "hostile-inputs: the good run failed" >&2; exit 1; }
"$VAE" "${T[@]}" --arch conv --conv-channels 4,8 --out good-conv >/dev/null 2>&1 || exit 1
/usr/bin/python3 "$repo/bench/hostile_fixtures.py" files "$work" "$XDG_DATA_HOME/vae-explorer/mnist" \
    good/checkpoint.pt || exit 1
cp "$repo"/tests/core/checkpoint/checkpoints/*.pt "$repo"/tests/fuzz/regressions/files/*.pt .
CK=good/checkpoint.pt

listener() {  # listener MODE: starts a fake master; sets $port
    rm -f "port-$1"
    /usr/bin/python3 "$repo/bench/hostile_fixtures.py" listen "$1" "port-$1" &
    helpers+=($!)
    for _ in $(seq 100); do [[ -s port-$1 ]] && break; sleep 0.1; done
    port=$(cat "port-$1")
}
folder_digest() { [[ -e $1 ]] && (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum) || echo absent; }

total=0 failed=0 worst_rss=0 worst_wall=0
printf 'case\tverdict\texit\twall_s\trss_mb\tmessage\n' >"$report"
# try [--limit S | --term S] [--keep DIR] [--new DIR] EXPECT WORD -- COMMAND...
#   --new DIR (default n): a failed run must not leave DIR.
#   --rss MB: a higher memory bound, for a model the user really asked for (the case says why).
#   --term S: SIGTERM after S seconds is the point of the case (a user's Ctrl+C or kill), not a hang.
#   EXPECT: refuse (exit 1/2, one stderr line containing WORD), accept (exit 0),
#   either (accept, or refuse as above), warn (exit 0, stderr names WORD).
try() {
    local limit=60 keep="" new=n before="" killed=0 rss_cap=400  # every case's --out defaults to n
    while [[ $1 == --* ]]; do
        case $1 in
            --limit) limit=$2 ;; --term) limit=$2 killed=1 ;; --keep) keep=$2 ;; --new) new=$2 ;; --rss) rss_cap=$2 ;;
        esac
        shift 2
    done
    local expect=$1 word=$2
    shift 3
    total=$((total + 1))
    rm -rf n "$new"
    [[ -n $keep ]] && before=$(folder_digest "$keep")
    local start=$EPOCHREALTIME
    /usr/bin/time -v -o time.txt timeout -k 5 "$limit" "$@" >out.txt 2>err.txt </dev/null
    local code=$? wall rss lines message problems=()
    wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
    rss=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' time.txt 2>/dev/null)
    rss=${rss:-0}
    lines=$(grep -c . err.txt)
    message=$(grep -m1 . err.txt | cut -c1-220)
    if grep -q "Command terminated by signal" time.txt 2>/dev/null; then
        problems+=("crash ($(grep 'terminated by signal' time.txt))")
    elif ((code == 124 && killed)); then code=143  # ended by the SIGTERM the case sends
    elif ((code == 124 || code == 137)); then problems+=("hang (killed at ${limit} s)")
    elif ((code > 2 && code != 130)); then problems+=("exit $code")
    fi
    ((rss > rss_cap)) && problems+=("RSS ${rss} MB")
    local refused=$((code == 1 || code == 2))
    case $expect in
        accept) ((code == 0)) || problems+=("not accepted") ;;
        warn) ((code == 0)) && grep -qF -- "$word" err.txt || problems+=("no warning naming '$word'") ;;
        refuse | either)
            if ((refused)); then
                ((lines == 1)) || problems+=("$lines stderr lines")
                grep -qF -- "$word" err.txt || problems+=("message does not name '$word'")
            elif [[ $expect == refuse ]]; then problems+=("not refused"); fi ;;
    esac
    if ((code != 0)); then
        [[ -n $keep && $(folder_digest "$keep") != "$before" ]] && problems+=("changed $keep")
        [[ -n $new && -e $new ]] && problems+=("left $new behind")
    fi
    rm -rf "$new"
    ((rss > worst_rss)) && worst_rss=$rss
    awk -v w="$wall" -v m="$worst_wall" 'BEGIN { exit !(w > m) }' && worst_wall=$wall
    local verdict=ok
    ((${#problems[@]})) && { verdict="FAIL: ${problems[*]}"; failed=$((failed + 1)); }
    printf '%3d %-4s exit %-3s %6ss %4s MB  %s\n' "$total" "${verdict%%:*}" "$code" "$wall" "$rss" \
        "$* => ${message:-(no message)}" | cut -c1-300
    [[ $verdict != ok ]] && echo "      ${verdict}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$*" "$verdict" "$code" "$wall" "$rss" "$message" >>"$report"
}

source "$repo/bench/hostile-cases.sh"

echo
echo "$total inputs: $((total - failed)) as expected, $failed not; largest RSS ${worst_rss} MB, longest ${worst_wall} s"
((failed == 0))
