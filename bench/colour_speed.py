#!/usr/bin/python3
"""The emoji preset's model, ours against the same architecture in Debian's PyTorch, on the same
drawn emoji and the same test split, for equal epochs: seconds per epoch and test -ELBO.

Usage: bench/colour_speed.py [--epochs 20] [--rounds 2] [--build build]

Ours: `vae-explorer train --dataset emoji --preset emoji` (its thread governor, and 2 threads).
PyTorch: three 4x4 stride-2 convolutions (32, 64, 128), dense 512, z 16, the transposed mirror,
Bernoulli logits summed over pixels plus the analytic KL, Adam 1e-3, batch 64, at 1 and 2
threads, the better one reported. The sides run in alternating rounds; each reports its best and
median epoch and its mean final test -ELBO. The emoji come from the app's own cache (drawn by the
first run of ours), split as the app splits them: a key is the test set's when SHA-256 of the salt
and the key, read big-endian from its first 8 bytes, is a multiple of 6. Run with /usr/bin/python3."""
import argparse
import hashlib
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parent.parent
SALT = b"vae-explorer test split "
EPOCH_LINE = re.compile(r"epoch (\d+)/\d+ .* test ([\d.]+) .*?([\d.]+) s ")


def cache_folder(size):
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return pathlib.Path(base) / "vae-explorer" / "generated" / f"emoji-{size}"


def load_emoji(size):
    folder = cache_folder(size)
    meta = json.loads((folder / "meta.json").read_text())
    pixels = torch.frombuffer(bytearray((folder / "pixels.u8").read_bytes()), dtype=torch.uint8)
    images = pixels.view(len(meta["labels"]), meta["channels"], size, size).float() / 255
    test = [int.from_bytes(hashlib.sha256(SALT + key.encode()).digest()[:8], "big") % 6 == 0 for key in meta["split_keys"]]
    test = torch.tensor(test)
    return images[~test].contiguous(), images[test].contiguous()


class ConvVae(nn.Module):
    def __init__(self, channels=3, side=32, conv=(32, 64, 128), hidden=512, latent=16):
        super().__init__()
        layers, previous = [], channels
        for width in conv:
            layers += [nn.Conv2d(previous, width, 4, 2, 1), nn.ReLU()]
            previous = width
        self.encoder = nn.Sequential(*layers, nn.Flatten(), nn.Linear(previous * (side >> len(conv)) ** 2, hidden), nn.ReLU())
        self.mu, self.logvar = nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.shape = (previous, side >> len(conv), side >> len(conv))
        self.dense = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, previous * self.shape[1] ** 2), nn.ReLU())
        layers, widths = [], list(conv[::-1]) + [channels]
        for i in range(len(conv)):
            layers.append(nn.ConvTranspose2d(widths[i], widths[i + 1], 4, 2, 1))
            if i + 1 < len(conv):
                layers.append(nn.ReLU())
        self.decoder = nn.Sequential(*layers)

    def loss(self, x):
        h = self.encoder(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.decoder(self.dense(z).view(-1, *self.shape))
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        return recon - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def run_reference(epochs, threads, seed):
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    train, test = load_emoji(32)
    model = ConvVae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds, test_loss = [], 0.0
    for _ in range(epochs):
        started = time.perf_counter()
        for batch in torch.randperm(len(train)).split(64):
            optimizer.zero_grad()
            loss = model.loss(train[batch]) / len(batch)
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - started)
        with torch.no_grad():
            test_loss = sum(model.loss(chunk).item() for chunk in test.split(256)) / len(test)
    return seconds, test_loss


def run_ours(build, epochs, threads):
    with tempfile.TemporaryDirectory() as out:
        command = [str(ROOT / build / "app" / "vae-explorer"), "train", "--dataset", "emoji", "--preset", "emoji",
                   "--epochs", str(epochs), "--threads", str(threads), "--out", out]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    epochs_seen = [EPOCH_LINE.search(line) for line in done.stdout.splitlines()]
    epochs_seen = [m for m in epochs_seen if m]
    return [float(m.group(3)) for m in epochs_seen], float(epochs_seen[-1].group(2))


def summary(name, rounds):
    times = [t for seconds, _ in rounds for t in seconds[1:]]  # the first epoch warms up
    losses = [loss for _, loss in rounds]
    return (f"{name:24s} epoch best {min(times):.2f} s  median {statistics.median(times):.2f} s  "
            f"test -ELBO {statistics.mean(losses):.2f} (rounds: {', '.join(f'{l:.2f}' for l in losses)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '<unset>')}; {os.cpu_count()} cores; torch {torch.__version__}")
    sides = {"ours (governor)": [], "ours (2 threads)": [], "pytorch 1 thread": [], "pytorch 2 threads": []}
    for round_number in range(args.rounds):
        print(f"round {round_number + 1} of {args.rounds}", file=sys.stderr)
        sides["ours (governor)"].append(run_ours(args.build, args.epochs, 0))
        sides["pytorch 1 thread"].append(run_reference(args.epochs, 1, round_number + 1))
        sides["ours (2 threads)"].append(run_ours(args.build, args.epochs, 2))
        sides["pytorch 2 threads"].append(run_reference(args.epochs, 2, round_number + 1))
    print(f"emoji preset at 32 px: conv 32,64,128, dense 512, z 16, batch 64, Adam 1e-3, {args.epochs} epochs x "
          f"{args.rounds} alternating rounds per side")
    for name, rounds in sides.items():
        print(summary(name, rounds))
    median = {name: statistics.median(t for seconds, _ in rounds for t in seconds[1:]) for name, rounds in sides.items()}
    ours = min(median["ours (governor)"], median["ours (2 threads)"])
    peer = min(median["pytorch 1 thread"], median["pytorch 2 threads"])
    loss = {name: statistics.mean(l for _, l in rounds) for name, rounds in sides.items()}
    peer_name = min(("pytorch 1 thread", "pytorch 2 threads"), key=median.get)
    print(f"time per epoch, ours / PyTorch at its best ({peer_name}): {ours / peer:.2f} on medians")
    print(f"test -ELBO, ours (2 threads) / PyTorch ({peer_name}): {loss['ours (2 threads)'] / loss[peer_name]:.4f}")


if __name__ == "__main__":
    main()
