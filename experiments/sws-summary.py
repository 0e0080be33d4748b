#!/usr/bin/env python3
"""Tables of docs/sws-results.md from the runs of experiments/sws-full-study.sh.

Usage: experiments/sws-summary.py OUT [FT_LONG=3]
Reads OUT/json/*.json (one --json result per run) and prints Markdown tables: accuracy after the
1-epoch budget, the longer finetune's curve with the steps each init needs to reach the scratch
model's final accuracy, the amortized cost and the parameters stored.
"""
import json
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) / "json"
FT_LONG = int(sys.argv[2]) if len(sys.argv) > 2 else 3
DEPTHS = [2, 4, 6, 8, 12]
INITS = ["sws", "truncate", "random"]


def load(name):
    p = OUT / f"{name}.json"
    return json.loads(p.read_text()) if p.exists() else None


def scratch(depth):
    return load("ancestor" if depth == 8 else f"scratch-{depth}")


def fmt(x, spec=".4f"):
    return "–" if x is None else format(x, spec)


def steps_to_reach(run, target):
    """Steps of the first epoch whose test accuracy reaches target, or None."""
    steps = 0
    for h in run["history"]:
        steps += h["steps"]
        if h["test_accuracy"] >= target:
            return steps
    return None


def main():
    print("### Budget: 1 epoch of finetuning\n")
    print("| depth | sws | truncate | random | scratch (full recipe) | parameters |")
    print("|---|---|---|---|---|---|")
    for d in DEPTHS:
        row = [load(f"ft1-{d}-{i}") for i in INITS]
        s = scratch(d)
        p = load(f"params-grown-{d}-sws")
        params = f"{p['parameters']:,}" if p else "–"
        print(f"| {d} | " + " | ".join(fmt(r and r["test_accuracy"]) for r in row)
              + f" | {fmt(s and s['test_accuracy'])} | {params} |")

    print(f"\n### {FT_LONG} epochs of finetuning: accuracy after each epoch, steps to the scratch accuracy\n")
    print("| depth | scratch accuracy (steps) | " + " | ".join(INITS) + " |")
    print("|---|---|" + "---|" * len(INITS))
    totals = {i: 0 for i in INITS}
    reached = {i: True for i in INITS}
    scratch_total = 0
    for d in DEPTHS:
        s = scratch(d)
        if s is None:
            continue
        target = s["test_accuracy"]
        s_steps = sum(h["steps"] for h in s["history"])
        scratch_total += s_steps
        cells = []
        for i in INITS:
            r = load(f"ft{FT_LONG}-{d}-{i}")
            if r is None:
                cells.append("–")
                reached[i] = False
                continue
            curve = " / ".join(fmt(h["test_accuracy"]) for h in r["history"])
            n = steps_to_reach(r, target)
            if n is None:
                reached[i] = False
                cells.append(f"{curve}: not within {FT_LONG} epochs")
            else:
                totals[i] += n
                cells.append(f"{curve}: **{n}** steps ({n / s_steps:.0%})")
        print(f"| {d} | {target:.4f} ({s_steps}) | " + " | ".join(cells) + " |")

    lg = load("learngene")
    anc = load("ancestor")
    if lg and anc:
        print("\n### Cost and storage\n")
        print(f"- scratch models, all depths: {scratch_total} steps")
        print(f"- learngene: {lg['steps']} steps, {lg['seconds']:.0f} s "
              f"({lg['images_per_second']:.0f} images/s; ancestor {anc['seconds']:.0f} s for "
              f"{sum(h['steps'] for h in anc['history'])} steps)")
        for i in INITS:
            if reached[i]:
                extra = lg["steps"] if i == "sws" else 0
                print(f"- {i}: descendants {totals[i]} steps to the scratch accuracy at every depth"
                      + (f" + learngene {extra}" if extra else "")
                      + f" = {totals[i] + extra} steps, {scratch_total / (totals[i] + extra):.1f}x fewer than scratch")
            else:
                print(f"- {i}: does not reach the scratch accuracy at every depth within {FT_LONG} epochs")
        stored = [load(f"params-grown-{d}-sws") for d in DEPTHS]
        lgp = load("params-learngene")
        if lgp and all(stored):
            total = sum(p["parameters"] for p in stored)
            print(f"- parameters stored: learngene {lgp['parameters']:,} vs one model per depth {total:,}: "
                  f"{total / lgp['parameters']:.1f}x fewer")


if __name__ == "__main__":
    main()
