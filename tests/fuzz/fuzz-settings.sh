# libFuzzer settings shared by CI's deterministic run (tests/fuzz/check.sh) and open-ended
# exploration (bench/fuzz.sh). Sourced, not run.

# -malloc_limit_mb makes any single allocation over 512 MB a finding: without it the limit is the
# RSS limit, and a 4 GB allocation once slipped under it by 254 bytes.
fuzz_options=(-rss_limit_mb=4096 -malloc_limit_mb=512 -max_len=65536 -print_final_stats=1)
# What makes a fixed-seed run repeatable: no re-reading of the corpus folder every second, no
# leak re-runs (libFuzzer runs an input again when its mallocs and frees differ in count, and
# other threads' allocations make that timing-dependent; LeakSanitizer is off anyway), and no
# address-space randomisation, and no mutations from traced comparisons (-use_cmp=0: they
# include pointers, and heap addresses shift with how the RSS-limit thread's start interleaves
# with the target's first allocations). Exploration (bench/fuzz.sh) keeps them.
fuzz_deterministic=(-seed=1 -reload=0 -detect_leaks=0 -use_cmp=0)
fuzz_without_aslr=(setarch "$(uname -m)" -R)
if ! "${fuzz_without_aslr[@]}" true 2>/dev/null; then
    echo "fuzz: cannot turn off address-space randomisation here; fixed-seed runs may vary" >&2
    fuzz_without_aslr=()
fi
# Torch's own allocations outlive the process on purpose; only our code is judged for leaks.
export ASAN_OPTIONS="detect_leaks=0"

fuzz_targets=(fuzz_idx fuzz_checkpoint fuzz_checkpoint_archive fuzz_store_reply fuzz_checkpoint_config fuzz_run_file
              fuzz_image_decode fuzz_factors_csv)
fuzz_binary() { echo "build-fuzz/tests/fuzz/$1"; }
fuzz_corpus() { echo "tests/fuzz/corpus/${1#fuzz_}"; }
# Inputs that once crashed or exhausted a target: replayed by CI, kept forever.
fuzz_regressions() { echo "tests/fuzz/regressions/${1#fuzz_}"; }

# The committed seed corpus and regression inputs of TARGET, copied into a scratch folder that
# libFuzzer may add to.
fuzz_scratch_corpus() {
    local target=$1 scratch
    scratch=$(mktemp -d)
    cp -r "$(fuzz_corpus "$target")/." "$scratch/"
    if [[ -d $(fuzz_regressions "$target") ]]; then cp -r "$(fuzz_regressions "$target")/." "$scratch/"; fi
    echo "$scratch"
}

fuzz_executed() { grep -oE 'stat::number_of_executed_units: *[0-9]+' "$1" | grep -oE '[0-9]+$' || echo "?"; }
