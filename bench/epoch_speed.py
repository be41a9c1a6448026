#!/usr/bin/python3
"""Seconds per MNIST epoch, `vae-explorer train --preset pytorch-example` against the PyTorch
reference (pytorch_reference.py) at its best thread count, in one run on one CPU, with the FLOP
bound from sgemm measured at the task's own shapes, and the same again with a CPU hog on one core.

Usage: bench/epoch_speed.py [--epochs 2] [--rounds 3] [--busy-rounds 1] [--build build]

Shared machines drift by up to 2x within minutes, so the sides run in alternating rounds and
each reports its best and median epoch. Every figure comes from this run; nothing is assumed."""
import argparse
import csv
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMAGES = 60000
BATCH = 128
# Multiply-accumulates per image of 784-400-20(x2)-400-784: forward 2 MAC-FLOP each, backward
# twice that, less the input gradient of the first layer (nothing consumes it).
MACS = {"fc1": 784 * 400, "mu": 400 * 20, "logvar": 400 * 20, "fc3": 20 * 400, "fc4": 400 * 784}
FLOP_PER_IMAGE = 2 * sum(MACS.values()) * 3 - 2 * MACS["fc1"]
# The step's five large products (m, k, n) at batch 128: forward fc1 and fc4, fc4's input
# gradient, and the weight gradients of fc4 and fc1. The rest is under 4 % of the FLOP.
BIG_PRODUCTS = [(BATCH, 784, 400), (BATCH, 400, 784), (BATCH, 784, 400), (784, BATCH, 400), (400, BATCH, 784)]

SGEMM = r"""
import sys, time, torch
threads = int(sys.argv[1])
torch.set_num_threads(threads)
for m, k, n in %r:
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(50):
        a @ b
    best = 0.0
    for _ in range(5):
        runs, started = 200, time.perf_counter()
        for _ in range(runs):
            a @ b
        best = max(best, runs * 2 * m * k * n / (time.perf_counter() - started))
    print(m, k, n, best)
""" % (BIG_PRODUCTS,)


def mnist_folder():
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return pathlib.Path(os.environ.get("VAE_EXPLORER_MNIST_DIR") or f"{base}/vae-explorer/mnist")


def run_ours(build, work, tag, epochs, threads):
    out = pathlib.Path(work) / f"ours-{tag}"
    command = [f"{build}/app/vae-explorer", "train", "--dataset", "mnist", "--out", str(out), "--preset",
               "pytorch-example", "--epochs", str(epochs), "--seed", "1", "--threads", str(threads)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    backend = next((line.strip() for line in done.stdout.splitlines() + done.stderr.splitlines() if "BLAS" in line), "?")
    with open(out / "metrics.csv") as f:
        rows = list(csv.DictReader(f))
    return [float(row["epoch_seconds"]) for row in rows], float(rows[-1]["test_loss"]), backend


def run_reference(work, epochs, threads):
    done = subprocess.run(["/usr/bin/python3", str(ROOT / "bench" / "pytorch_reference.py"), "--data", work,
                           "--epochs", str(epochs), "--threads", str(threads)],
                          check=True, capture_output=True, text=True)
    lines = [line.split() for line in done.stdout.splitlines() if line.startswith("epoch")]
    return [float(fields[3]) for fields in lines], float(lines[-1][7])


def sgemm_seconds_per_step(threads):
    """Seconds the five big products take at the best measured rate, and that rate's mean."""
    done = subprocess.run(["/usr/bin/python3", "-c", SGEMM, str(threads)], check=True, capture_output=True, text=True)
    rates = [float(line.split()[3]) for line in done.stdout.splitlines()]
    seconds = sum(2 * m * k * n / rate for (m, k, n), rate in zip(BIG_PRODUCTS, rates))
    return seconds, rates


def bound_seconds_per_epoch(threads):
    big_seconds, rates = sgemm_seconds_per_step(threads)
    big_flop = sum(2 * m * k * n for m, k, n in BIG_PRODUCTS)
    rest_flop = FLOP_PER_IMAGE * BATCH - big_flop  # at the big products' mean rate
    per_step = big_seconds + rest_flop / (big_flop / big_seconds)
    return per_step * IMAGES / BATCH, rates


def summary(times):
    return (f"best {min(times):.2f}  median {statistics.median(times):.2f}  "
            f"({', '.join(f'{t:.2f}' for t in times)})")


class Hog:
    """Another process keeping one core busy, as on a user's laptop; ended by its own PID."""

    def __enter__(self):
        self.process = subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"])
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy-rounds", type=int, default=1)
    parser.add_argument("--build", default=str(ROOT / "build"))
    args = parser.parse_args()
    cores = os.cpu_count()
    thread_counts = sorted({1, cores})
    ours, ours_one, reference, bounds, losses = [], [], {t: [] for t in thread_counts}, [], {}
    backend = "?"
    with tempfile.TemporaryDirectory() as work:
        raw = pathlib.Path(work) / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                     "t10k-labels-idx1-ubyte"):
            (raw / name).symlink_to(mnist_folder() / name)
        for round_number in range(args.rounds):
            print(f"round {round_number + 1} of {args.rounds}", file=sys.stderr)
            times, losses["ours"], backend = run_ours(args.build, work, f"r{round_number}", args.epochs, cores)
            ours += times
            for threads in thread_counts:
                times, losses[f"reference {threads}"] = run_reference(work, args.epochs, threads)
                reference[threads] += times
            times, _, _ = run_ours(args.build, work, f"r{round_number}-1", args.epochs, 1)
            ours_one += times
            bounds.append(min(bound_seconds_per_epoch(t) for t in thread_counts))

        busy = {"ours": [], "ours 1 thread": [], "reference": []}
        reference_best_threads = min(thread_counts, key=lambda t: statistics.median(reference[t]))
        with Hog():
            for round_number in range(args.busy_rounds):
                print(f"busy round {round_number + 1} of {args.busy_rounds}", file=sys.stderr)
                busy["ours"] += run_ours(args.build, work, f"b{round_number}", args.epochs, cores)[0]
                busy["ours 1 thread"] += run_ours(args.build, work, f"b{round_number}-1", args.epochs, 1)[0]
                busy["reference"] += run_reference(work, args.epochs, reference_best_threads)[0]

    bound, rates = min(bounds)
    best_reference = reference[reference_best_threads]
    print(f"machine: {cores} cores; {backend}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"protocol: 784-400-20 Bernoulli, batch 128, Adam 1e-3, {args.epochs} epochs x {args.rounds} "
          f"alternating rounds per side")
    print(f"vae-explorer, {cores} threads (adaptive):  {summary(ours)}")
    print(f"vae-explorer, 1 thread:               {summary(ours_one)}")
    for threads in thread_counts:
        mark = "  <- its best" if threads == reference_best_threads else ""
        print(f"PyTorch reference, {threads} thread(s):      {summary(reference[threads])}{mark}")
    print(f"ours / reference at its best:         {min(ours) / min(best_reference):.2f} on bests, "
          f"{statistics.median(ours) / statistics.median(best_reference):.2f} on medians")
    print(f"sgemm at the five big products:       {', '.join(f'{r / 1e9:.0f}' for r in rates)} GFLOP/s "
          f"(best thread count, best of {args.rounds} runs)")
    print(f"FLOP bound:                           {bound:.2f} s/epoch at {FLOP_PER_IMAGE / 1e6:.2f} MFLOP per image")
    print(f"ours as a fraction of the bound:      {bound / min(ours):.0%} on our best, "
          f"{bound / statistics.median(ours):.0%} on our median")
    print(f"test loss after {args.epochs} epochs:          ours {losses['ours']:.2f}, reference "
          f"{losses[f'reference {reference_best_threads}']:.2f}")
    if args.busy_rounds:
        print(f"with a CPU hog on one core ({args.busy_rounds} round(s)):")
        for name, times in busy.items():
            print(f"  {name + ':':<22}{summary(times)}")
        print(f"  ours (adaptive) / ours at 1 thread: {statistics.median(busy['ours']) / statistics.median(busy['ours 1 thread']):.2f} "
              f"on medians")


if __name__ == "__main__":
    main()
