#!/usr/bin/python3
"""Data-parallel training on this machine and on paper.

Usage: bench/distributed_speed.py [--epochs 2] [--rounds 3] [--build build] [--paper-only]

1. Here: `vae-explorer train --preset pytorch-example` as 1 process x 2 threads against 2 ranks
   x 1 thread under mpirun (c10d + Gloo over loopback), in alternating rounds; best and median
   seconds per epoch, and the share of each epoch the ranks spent in the gradient allreduce
   (which includes waiting for the slower rank).
2. On paper: what one step's allreduce costs on 1 and 10 Gb/s links for the MLP of the preset
   and for a convolutional VAE, against the compute per image measured in part 1, and from that
   how many machines pay off at which global batch size."""
import argparse
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
EPOCH = re.compile(r"^epoch \d+/\d+ .*?  ([\d.]+) s  (\d+) img/s  .*?(?:allreduce ([\d.]+)% of the epoch)?$", re.M)
IMAGES = 60000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command, work, tag):
    out = pathlib.Path(work) / tag
    done = subprocess.run(command + ["--out", str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{tag}: exit {done.returncode}: {done.stderr.strip()}")
    # The first epoch carries the start-up (thread teams, first-touch pages); report the rest.
    epochs = [(float(s), float(share or 0)) for s, _, share in EPOCH.findall(done.stdout)]
    return epochs[1:] or epochs


def hog():
    """A CPU-bound process on one core, like a user's browser tab; ended by its PID."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def here(args, busy=False):
    exe = f"{args.build}/app/vae-explorer"
    train = [exe, "train", "--dataset", "mnist", "--preset", "pytorch-example", "--seed", "1", "--epochs", str(args.epochs)]
    mpirun = shutil.which("mpirun")
    if not mpirun:
        sys.exit("mpirun not found: install openmpi-bin (scripts/setup.sh does)")
    results = {"1 process x 2 threads": [], "2 ranks x 1 thread (mpirun)": []}
    other = hog() if busy else None
    try:
        with tempfile.TemporaryDirectory() as work:
          for round_ in range(args.rounds):
            results["1 process x 2 threads"] += run(train + ["--threads", "2"], work, f"alone-{round_}")
            results["2 ranks x 1 thread (mpirun)"] += run(
                [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2", "-x", "MASTER_ADDR=127.0.0.1",
                 "-x", f"MASTER_PORT={free_port()}"] + train, work, f"ranks-{round_}")
    finally:
        if other:
            other.kill()
            other.wait()
    print(f"This machine{' with a CPU hog on one core' if busy else ''}: --preset pytorch-example (784-400-20, "
          f"batch 128), {args.rounds} alternating rounds, epochs 2..{args.epochs} of each")
    best_alone = None
    for name, epochs in results.items():
        seconds = [s for s, _ in epochs]
        shares = [share for _, share in epochs]
        line = f"  {name:30s} best {min(seconds):.2f} s/epoch, median {statistics.median(seconds):.2f}"
        if any(shares):
            line += f"; allreduce {statistics.median(shares):.1f}% of the epoch (median)"
        print(line)
        best_alone = best_alone or min(seconds)
    return best_alone


def mlp_parameters(widths):
    return sum(a * b + b for a, b in zip(widths, widths[1:]))


def paper(seconds_per_epoch_alone):
    # 784-400-20 (x2 for mu and logvar) -400-784: what the preset trains.
    mlp = mlp_parameters([784, 400]) + 2 * mlp_parameters([400, 20]) + mlp_parameters([20, 400, 784])
    mlp_flop = 2 * (784 * 400 + 2 * 400 * 20 + 20 * 400 + 400 * 784) * 3  # forward, then backward twice that
    # A convolutional VAE as issue 11 sketches it: 4x4 convolutions at stride 2 with 32 and 64
    # channels (28 -> 14 -> 7), dense to mu and logvar (20 each); the decoder mirrors it.
    conv_params = (16 * 32 + 32) + (16 * 32 * 64 + 64) + 2 * (3136 * 20 + 20) + (20 * 3136 + 3136) + (16 * 64 * 32 + 32) + (16 * 32 + 1)
    conv_macs = 14 * 14 * 32 * 16 + 7 * 7 * 64 * 32 * 16 + 2 * 3136 * 20
    conv_flop = 2 * 2 * conv_macs * 3  # encoder and its mirror, forward and backward
    # Seconds of compute per image, measured above for the MLP; the conv model assumed to run at
    # the same FLOP rate (convolutions usually run slower on CPUs: an optimistic case for it).
    per_image = seconds_per_epoch_alone / IMAGES
    rate = mlp_flop / per_image
    models = [("MLP 784-400-20", mlp, per_image), ("conv 32-64, latent 20", conv_params, conv_flop / rate)]
    links = [("1 Gb/s", 125e6), ("10 Gb/s", 1250e6)]
    latency = 50e-6  # per ring hop on a LAN
    print(f"\nOn paper: ring allreduce of float32 gradients, no overlap with compute; compute per image "
          f"{per_image * 1e6:.0f} us for the MLP (measured above, {rate / 1e9:.0f} GFLOP/s on 2 threads)")
    for name, params, image_seconds in models:
        size = 4 * params
        print(f"  {name}: {params:,} parameters ({size / 1e6:.2f} MB), {image_seconds * 1e6:.0f} us of compute per image")
        for link, bandwidth in links:
            print(f"    {link}: allreduce per step", ", ".join(
                f"{w} machines {1e3 * (2 * (w - 1) / w * size / bandwidth + 2 * (w - 1) * latency):.1f} ms" for w in (2, 4, 8, 16)))
            for batch in (128, 1024, 8192):
                cells = []
                for w in (2, 4, 8, 16):
                    step = image_seconds * batch / w + 2 * (w - 1) / w * size / bandwidth + 2 * (w - 1) * latency
                    cells.append(f"{w}: {image_seconds * batch / step:.1f}x")
                print(f"      global batch {batch:5d}: speed-up over one machine  " + ", ".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--paper-only", type=float, metavar="SECONDS_PER_EPOCH",
                        help="skip the runs; take this s/epoch for one process")
    args = parser.parse_args()
    if args.paper_only:
        paper(args.paper_only)
        return
    alone = here(args)
    here(args, busy=True)
    paper(alone)


if __name__ == "__main__":
    main()
