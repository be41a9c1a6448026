#!/usr/bin/python3
"""The standard PyTorch MNIST VAE protocol (pytorch/examples vae/main.py), as the baseline:
torchvision MNIST through a DataLoader with per-sample ToTensor, 784-400-20, Bernoulli BCE summed
over pixels plus analytic KL, Adam 1e-3, batch 128. Prints one line per epoch:
  epoch N seconds S train_loss L test_loss T
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision)."""
import argparse
import os
import time

import torch
import torch.nn.functional as F
from torch import nn, optim
from torchvision import datasets, transforms


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="folder holding MNIST/raw/<the four IDX files>")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    to_tensor = transforms.ToTensor()
    train = torch.utils.data.DataLoader(
        datasets.MNIST(args.data, train=True, download=False, transform=to_tensor), batch_size=128, shuffle=True)
    test = torch.utils.data.DataLoader(
        datasets.MNIST(args.data, train=False, download=False, transform=to_tensor), batch_size=128)
    model = VAE()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        total = 0.0
        for data, _ in train:
            optimizer.zero_grad()
            recon, mu, logvar = model(data)
            loss = loss_function(recon, data, mu, logvar)
            loss.backward()
            total += loss.item()
            optimizer.step()
        seconds = time.perf_counter() - started
        model.eval()
        test_total = 0.0
        with torch.no_grad():
            for data, _ in test:
                recon, mu, logvar = model(data)
                test_total += loss_function(recon, data, mu, logvar).item()
        print(f"epoch {epoch} seconds {seconds:.3f} train_loss {total / len(train.dataset):.4f} "
              f"test_loss {test_total / len(test.dataset):.4f}", flush=True)


if __name__ == "__main__":
    main()
