#!/usr/bin/python3
"""Seconds per MNIST epoch: `vae-explorer train --preset pytorch-example` against the PyTorch
reference (pytorch_reference.py), in the same run on the same CPU, plus our fraction of the FLOP
bound given by a measured sgemm rate. Usage: bench/epoch_speed.py [--epochs 2] [--rounds 2] [--build build]

This machine's speed drifts by up to 2x within minutes (shared CPUs), so the two programs run in
alternating rounds and each side reports its fastest epoch as well as the mean."""
import argparse
import csv
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
FLOP_PER_IMAGE = 3.3e6  # 784-400-20-400-784 forward + backward, per image


def sgemm_gflops(threads):
    """The 128x784 @ 784x400 product of the first layer through the same system BLAS."""
    import torch
    torch.set_num_threads(threads)
    a, b = torch.randn(128, 784), torch.randn(784, 400)
    for _ in range(50):
        a @ b
    runs, started = 1000, time.perf_counter()
    for _ in range(runs):
        a @ b
    return runs * 2 * 128 * 784 * 400 / (time.perf_counter() - started) / 1e9


def mnist_folder():
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return pathlib.Path(os.environ.get("VAE_EXPLORER_MNIST_DIR") or f"{base}/vae-explorer/mnist")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--build", default=str(ROOT / "build"))
    args = parser.parse_args()
    threads = os.cpu_count()
    ours, theirs, gflops = [], [], []
    with tempfile.TemporaryDirectory() as work:
        raw = pathlib.Path(work) / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                     "t10k-labels-idx1-ubyte"):
            (raw / name).symlink_to(mnist_folder() / name)
        for round_number in range(args.rounds):
            out = pathlib.Path(work) / f"ours{round_number}"
            subprocess.run([f"{args.build}/app/vae-explorer", "train", "--dataset", "mnist", "--out", str(out),
                            "--preset", "pytorch-example", "--epochs", str(args.epochs), "--seed", "1"],
                           check=True, stdout=sys.stderr)
            with open(out / "metrics.csv") as f:
                ours += list(csv.DictReader(f))
            reference = subprocess.run(["/usr/bin/python3", str(ROOT / "bench" / "pytorch_reference.py"), "--data",
                                        work, "--epochs", str(args.epochs), "--threads", str(threads)],
                                       check=True, capture_output=True, text=True).stdout.split("\n")
            theirs += [float(line.split()[3]) for line in reference if line.startswith("epoch")]
            gflops.append(sgemm_gflops(threads))

    our_times = [float(row["epoch_seconds"]) for row in ours]
    our_mean, their_mean = sum(our_times) / len(our_times), sum(theirs) / len(theirs)
    our_best, their_best = min(our_times), min(theirs)
    best_gflops = max(gflops)
    print(f"epochs measured:            {len(ours)} each, {args.rounds} alternating rounds, {threads} threads")
    print(f"vae-explorer:               mean {our_mean:.2f} s/epoch, best {our_best:.2f}  "
          f"({', '.join(f'{t:.2f}' for t in our_times)})")
    print(f"PyTorch reference:          mean {their_mean:.2f} s/epoch, best {their_best:.2f}  "
          f"({', '.join(f'{t:.2f}' for t in theirs)})")
    print(f"speed-up (reference/ours):  {their_mean / our_mean:.2f}x on means, {their_best / our_best:.2f}x on bests")
    print(f"our throughput:             {60000 / our_mean:.0f} images/s mean, {60000 / our_best:.0f} best")
    print(f"sgemm (128x784x400):        {best_gflops:.1f} GFLOP/s (best of {', '.join(f'{g:.0f}' for g in gflops)})")
    print(f"fraction of FLOP bound:     {60000 / our_best * FLOP_PER_IMAGE / (best_gflops * 1e9):.0%} on our best "
          f"epoch (at {FLOP_PER_IMAGE / 1e6:.1f} MFLOP per image)")
    print(f"test loss after {args.epochs} epochs: {float(ours[-1]['test_loss']):.2f} nats (ours)")


if __name__ == "__main__":
    main()
