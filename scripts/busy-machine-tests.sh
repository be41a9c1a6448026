#!/usr/bin/env bash
# The window and CLI tests again with every core busy (one `yes` per core, at normal priority):
# users' machines are never idle, and a test that assumes the machine's speed fails here rather
# than for a user. Ends only the processes it started, by PID. Run after a build of build/.
set -euo pipefail
cd "$(dirname "$0")/.."
hogs=()
stop_hogs() { ((${#hogs[@]})) && kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for _ in $(seq "$(nproc)"); do
    yes >/dev/null &
    hogs+=($!)
done
echo "busy-machine-tests: ${#hogs[@]} CPU hogs (PIDs ${hogs[*]}) beside the window and CLI tests"
ctest --test-dir build --output-on-failure -j2 \
    -R '^(tst_mainwindow|tst_windowcheckpoints|tst_latentmap|tst_latentwalks|tst_replay|tst_windowfaults|tst_firstlook|tst_traincli|tst_training)$'
