#!/usr/bin/env python3
"""Training throughput of the reference ViT of docs/vit.md in plain PyTorch, for side-by-side
comparison with `transfuse bench vit-train` (same model, optimizer, batch and step counts).

Model: 28x28x1 input, patch 7 (16 patches + CLS), d 64, 4 heads, 2 pre-LN layers, MLP 128 with
exact GELU, final LayerNorm, linear head on CLS (10 classes). AdamW lr 3e-3, weight decay 0.05,
gradient clipping 1.0, batch 128, synthetic images. Times 50 steps after 5 warm-up steps.

Needs Debian's python3-torch (apt-get install python3-torch). Usage:
  python3 pytorch_reference.py --runs 5          # each run in a fresh interpreter, prints the median
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)
        self.mlp = nn.Sequential(nn.Linear(d, mlp), nn.GELU(), nn.Linear(mlp, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class ReferenceVit(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, mlp=128, patch=7, image=28, classes=10):
        super().__init__()
        self.patch = patch
        n = (image // patch) ** 2
        self.embed = nn.Linear(patch * patch, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.randn(1, n + 1, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads, mlp) for _ in range(layers))
        self.norm = nn.LayerNorm(d, eps=1e-12)
        self.head = nn.Linear(d, classes)

    def forward(self, images):  # [N, 1, 28, 28]
        b, p = images.shape[0], self.patch
        x = images.unfold(2, p, p).unfold(3, p, p).reshape(b, -1, p * p)
        x = torch.cat([self.cls.expand(b, -1, -1), self.embed(x)], dim=1) + self.pos
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x[:, 0]))


def single(warmup, steps, threads):
    torch.manual_seed(1)
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    model = ReferenceVit()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
    loss_fn = nn.CrossEntropyLoss()
    images = torch.rand(warmup + steps, 128, 1, 28, 28)
    labels = torch.randint(0, 10, (warmup + steps, 128))
    start = None
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(images[step]), labels[step])
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()
    return steps * 128 / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (inter-op is always 1)")
    ap.add_argument("--single", action="store_true")
    a = ap.parse_args()
    if a.single:
        print(f"images/s {single(a.warmup, a.steps, a.threads):.1f}")
        return
    values = []
    print("run  images_per_second")
    for r in range(1, a.runs + 1):
        out = subprocess.run([sys.executable, __file__, "--single", "--warmup", str(a.warmup), "--steps", str(a.steps),
                              "--threads", str(a.threads)],
                             capture_output=True, text=True, check=True).stdout
        v = float(out.split()[-1])
        values.append(v)
        print(f"{r:<4} {v:.1f}")
    print(f"median {statistics.median(values):.1f} images_per_second over {a.runs} fresh interpreters "
          f"(torch {torch.__version__}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}, {a.threads} intra-op threads)")


if __name__ == "__main__":
    main()
