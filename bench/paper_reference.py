#!/usr/bin/python3
"""The plain PyTorch loop the issue calibrates against: IWAE's one-stochastic-layer VAE
(784-200-200-50, tanh, Bernoulli), dynamically binarized MNIST, batch 100, Adam 1e-3 decayed
x0.7 every 5 minutes from minute 10, trained for a wall-clock budget. At each evaluation minute
it prints the importance-weighted -log p(x) of the first N test images (binarized once with a
fixed seed), k samples each, stable logsumexp:
  minute M epochs E nll X
Evaluation time is not counted as training time. Run with Debian's /usr/bin/python3."""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx_images(folder, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
            return torch.from_numpy(np.frombuffer(data, np.uint8, count * rows * cols, 16).copy()).view(count, rows * cols)
    raise SystemExit(f"{folder}: no {stem}")


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh())
        self.mu = nn.Linear(200, 50)
        self.logvar = nn.Linear(200, 50)
        self.decoder = nn.Sequential(nn.Linear(50, 200), nn.Tanh(), nn.Linear(200, 200), nn.Tanh(), nn.Linear(200, 784))

    def loss(self, x):
        h = self.encoder(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = nn.functional.binary_cross_entropy_with_logits(self.decoder(z), x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return (recon + kl) / x.shape[0]

    @torch.no_grad()
    def nll(self, x, k, chunk=100):
        """-mean log (1/k sum_j p(x, z_j) / q(z_j | x)), z_j ~ q(z | x)."""
        total = 0.0
        for start in range(0, x.shape[0], chunk):
            xb = x[start:start + chunk]
            h = self.encoder(xb)
            mu, logvar = self.mu(h), self.logvar(h)
            std = torch.exp(0.5 * logvar)
            eps = torch.randn(k, *mu.shape)
            z = mu + std * eps
            logits = self.decoder(z)
            log_px_z = -nn.functional.binary_cross_entropy_with_logits(logits, xb.expand_as(logits), reduction="none").sum(-1)
            log_pz = -0.5 * (z.pow(2) + math.log(2 * math.pi)).sum(-1)
            log_qz = -0.5 * (eps.pow(2) + logvar + math.log(2 * math.pi)).sum(-1)
            w = log_px_z + log_pz - log_qz
            total += (torch.logsumexp(w, 0) - math.log(k)).sum().item()
        return -total / x.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="folder of the four MNIST IDX files")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--eval-at", default="10,20,30", help="training minutes at which to evaluate")
    parser.add_argument("--k", type=int, default=1000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = read_idx_images(args.data, "train-images-idx3-ubyte").float() / 255
    test_grey = read_idx_images(args.data, "t10k-images-idx3-ubyte")[: args.images].float() / 255
    test = torch.bernoulli(test_grey, generator=torch.Generator().manual_seed(1))
    model = Vae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    evals = sorted(float(m) for m in args.eval_at.split(","))
    trained, epochs = 0.0, 0
    while evals:
        order = torch.randperm(train.shape[0])
        for start in range(0, train.shape[0], 100):
            minutes = trained / 60
            # x0.7 every 5 minutes from minute 10.
            lr = 1e-3 * 0.7 ** max(0, math.floor((minutes - 10) / 5) + 1) if minutes >= 10 else 1e-3
            for group in optimizer.param_groups:
                group["lr"] = lr
            began = time.perf_counter()
            x = torch.bernoulli(train[order[start:start + 100]])
            optimizer.zero_grad()
            loss = model.loss(x)
            loss.backward()
            optimizer.step()
            trained += time.perf_counter() - began
            if evals and trained / 60 >= evals[0]:
                print(f"minute {evals.pop(0):g} epochs {epochs + start / train.shape[0]:.1f} nll {model.nll(test, args.k):.2f}", flush=True)
                if not evals:
                    break
        epochs += 1


if __name__ == "__main__":
    main()
