#!/usr/bin/env python3
"""The tables of docs/results.md ("OT claims with converged parents") from the results that
experiments/ot-claims-study.sh keeps in OUT/json. Means +- sample standard deviations over the
pairs; the fair control of a pair is the better of its two parents after the same finetune.

    experiments/ot-claims-summary.py OUT
"""
import glob
import json
import os
import re
import statistics
import sys

OUT = sys.argv[1]
J = os.path.join(OUT, "json")


def load(name):
    path = os.path.join(J, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def acc(name):
    """Test accuracy of an eval (accuracy) or a train run (test_accuracy); None when not run."""
    r = load(name)
    return None if r is None else r.get("accuracy", r.get("test_accuracy"))


def f4(x):
    return "–" if x is None else f"{x:.4f}"


def ms(xs, digits=4):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    s = f"{statistics.mean(xs):.{digits}f}"
    return s + (f" ± {statistics.stdev(xs):.{digits}f}" if len(xs) > 1 else "")


def wins(xs, ys):
    """'k/n': in how many pairs x beats y (both present)."""
    both = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    return f"{sum(x > y for x, y in both)}/{len(both)}" if both else "–"


parents = sorted(os.path.basename(p)[len("parent-"):-5] for p in glob.glob(os.path.join(J, "parent-s*.json")))
seeds = [p[1:] for p in parents]
pairs = [f"s{a}-s{b}" for i, a in enumerate(seeds) for b in seeds[i + 1:]]
budgets = sorted({int(m.group(1)) for m in (re.fullmatch(r"ft(\d+)-vit-s\d+\.json", os.path.basename(p))
                                             for p in glob.glob(os.path.join(J, "ft*-vit-s*.json"))) if m})
methods = [m for m in ["vanilla", "perm", "ot-emd", "ot-sinkhorn", "ot-emd-all", "ot-sinkhorn-all"]
           if load(f"eval-{pairs[0]}/{m}") is not None] if pairs else []

print("## Parents\n")
print("| parent | test accuracy | last three epochs | wall s |\n|---|---|---|---|")
for p in parents:
    r = load("parent-" + p)
    hist = [h.get("test_accuracy") if isinstance(h, dict) else h for h in r.get("history", [])][-3:]
    print(f"| {p} | {r['test_accuracy']:.4f} | {', '.join(f'{h:.4f}' for h in hist if h is not None)} | "
          f"{r['wall_seconds']:.0f} |")

tune = sorted(glob.glob(os.path.join(J, "ft5-lr*")))
if tune and pairs:
    print(f"\n## Finetune schedule, tuned on {pairs[0]} (ot-sinkhorn), 5 % budget\n")
    print(f"| peak lr | warm-up | fused {pairs[0]} ot-sinkhorn | parent {parents[0]} |\n|---|---|---|---|")
    for d in sorted(p for p in tune if os.path.isdir(p)):
        tag = os.path.basename(d)[len("ft5-lr"):]
        lr, w = tag.split("-w")[0], tag.split("-w")[1].split("-s")[0]
        print(f"| {lr} | {w} | {f4(acc(os.path.basename(d) + '/ot-sinkhorn'))} | "
              f"{f4(acc(f'ft5-lr{lr}-w{w}-vit-{parents[0]}'))} |")
    env = os.path.join(OUT, "schedule.env")
    if os.path.exists(env):
        print("\nkept: " + open(env).read().replace("\n", " ").strip())


def best_parent(stage, parents):
    """The best of these parents: as trained (stage "eval") or after the stage's finetune; None when one is missing."""
    xs = [acc(f"{stage}-vit-{p}") for p in parents]
    return None if None in xs else max(xs)


def parent_acc(pair, stage):
    """The better parent of a pair: before finetuning (stage None) or after the stage's finetune."""
    return best_parent(stage or "eval", pair.split("-"))


if methods:
    print(f"\n## Pairs ({len(pairs)}): mean ± std over pairs\n")
    head = "| model | one-shot | B′ acc | B′ ≠ B | barrier (A, B′) | barrier (A, B) | " + \
        " | ".join(f"+{b} %" for b in budgets) + " |"
    print(head + "\n|" + "---|" * (6 + len(budgets)))
    control = {b: [parent_acc(p, f"ft{b}") for p in pairs] for b in budgets}
    print("| better parent, not finetuned | " + ms([parent_acc(p, None) for p in pairs]) + " | | | | | "
          + " | ".join("" for _ in budgets) + " |")
    print("| fair control: better parent + same steps | | | | | | "
          + " | ".join(ms(control[b]) for b in budgets) + " |")
    for m in methods:
        bars = [load(f"barrier-{p}/{m}") for p in pairs]
        bars = [b for b in bars if b]
        row = [ms([acc(f"eval-{p}/{m}") for p in pairs]),
               ms([b["aligned_endpoint_accuracy"] for b in bars]),
               f"{sum(b['aligned_endpoint_differs'] for b in bars)}/{len(bars)}",
               ms([b["barrier"] for b in bars], 3), ms([b["barrier_original"] for b in bars], 3)]
        row += [ms([acc(f"ft{b}-{p}/{m}") for p in pairs]) for b in budgets]
        print(f"| {m} | " + " | ".join(row) + " |")
    print("\nPairs in which the finetuned fused model beats the fair control (k/n):\n")
    print("| method | " + " | ".join(f"+{b} %" for b in budgets) + " |\n|---|" + "---|" * len(budgets))
    for m in methods:
        print(f"| {m} | " + " | ".join(wins([acc(f"ft{b}-{p}/{m}") for p in pairs], control[b])
                                       for b in budgets) + " |")

if methods:
    print("\nHead to head, pair by pair (k/n: pairs in which the first beats the second):\n")
    print("| first vs second | one-shot | " + " | ".join(f"+{b} %" for b in budgets) + " |\n|---|---|"
          + "---|" * len(budgets))
    for x, y in [("ot-sinkhorn", "ot-emd"), ("ot-sinkhorn-all", "ot-emd-all"), ("ot-emd-all", "ot-emd"),
                 ("ot-sinkhorn-all", "ot-sinkhorn"), ("ot-emd-all", "perm"), ("ot-sinkhorn", "perm"),
                 ("perm", "vanilla")]:
        if x in methods and y in methods:
            print(f"| {x} vs {y} | " + wins([acc(f"eval-{p}/{x}") for p in pairs], [acc(f"eval-{p}/{y}") for p in pairs])
                  + " | " + " | ".join(wins([acc(f"ft{b}-{p}/{x}") for p in pairs], [acc(f"ft{b}-{p}/{y}") for p in pairs])
                                       for b in budgets) + " |")

nway = [m for m in methods if load(f"eval-all/{m}") is not None]
if nway:
    print(f"\n## All {len(parents)} parents at once (anchor {parents[0]})\n")
    print("| model | one-shot | " + " | ".join(f"+{b} %" for b in budgets) + " |\n|---|---|" + "---|" * len(budgets))
    print(f"| best parent; + same steps (fair control) | {f4(best_parent('eval', parents))} | "
          + " | ".join(f4(best_parent(f"ft{b}", parents)) for b in budgets) + " |")
    for m in nway:
        print(f"| {m} | {f4(acc(f'eval-all/{m}'))} | " + " | ".join(f4(acc(f"ft{b}-all/{m}")) for b in budgets) + " |")

het = [m for m in ["perm", "ot-emd", "ot-sinkhorn"] if load(f"eval-hetero/{m}") is not None]
if het:
    a = parents[0]
    print(f"\n## Heterogeneous: wide parent into {a} (narrow)\n")
    print("| model | one-shot | " + " | ".join(f"+{b} %" for b in budgets) + " |\n|---|---|" + "---|" * len(budgets))
    print(f"| wide parent (d 128) | {f4(acc('eval-vit-wide'))} | " + " | ".join("" for _ in budgets) + " |")
    print(f"| narrow parent {a}; + same steps (fair control) | {f4(acc(f'eval-vit-{a}'))} | "
          + " | ".join(f4(acc(f"ft{b}-vit-{a}")) for b in budgets) + " |")
    for m in het:
        print(f"| {m} | {f4(acc(f'eval-hetero/{m}'))} | " + " | ".join(f4(acc(f"ft{b}-hetero/{m}")) for b in budgets) + " |")

regs = sorted({os.path.basename(p)[len("reg-acts-"):-5] for p in glob.glob(os.path.join(J, "eval-s*", "reg-acts-*.json"))},
              key=float)
if regs:
    hard_acts = [acc(f"eval-{p}/ot-emd") for p in pairs]
    hard_w = [acc(f"eval-{p}/ot-emd-weights") for p in pairs]
    print("\n## Soft vs hard: Sinkhorn reg, one-shot test accuracy over pairs (residual mean, qk separate)\n")
    sb = next((b for b in budgets if glob.glob(os.path.join(J, f"ft{b}-s*", "reg-acts-*.json"))), None)
    hard_ft = [acc(f"ft{sb}-{p}/ot-emd") for p in pairs]
    print("| reg | acts | soft > emd (acts) | weights | soft > emd (weights) | acts +" + str(sb)
          + " % | soft > emd (acts +" + str(sb) + " %) |\n|---|---|---|---|---|---|---|")
    print(f"| emd (exact) | {ms(hard_acts)} | | {ms(hard_w)} | | {ms(hard_ft)} | |")
    for r in regs:
        sa = [acc(f"eval-{p}/reg-acts-{r}") for p in pairs]
        sw = [acc(f"eval-{p}/reg-weights-{r}") for p in pairs]
        sf = [acc(f"ft{sb}-{p}/reg-acts-{r}") for p in pairs]
        print(f"| {r} | {ms(sa)} | {wins(sa, hard_acts)} | {ms(sw)} | {wins(sw, hard_w)} | {ms(sf)} | "
              f"{wins(sf, hard_ft)} |")
