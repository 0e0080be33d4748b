#!/usr/bin/env bash
# The claims of issue 13 on ViT / Fashion-MNIST, one script: parents of several seeds trained to
# (near) convergence; every pair fused by vanilla, perm, ot+emd, ot+sinkhorn (residual mean, the
# default) and ot+emd with residual all; one-shot test accuracy, the honest loss barrier (B' and B as
# trained, both barriers), and finetunes of several budgets (percent of a parent's optimizer steps)
# against the fair control (each parent finetuned for the same steps with the same schedule); a
# Sinkhorn reg sweep on the first pair; a fusion of all parents at once (N-way).
#
#   experiments/ot-claims-study.sh [JAR] [OUT]
#       JAR  default distributions/transfuse/target/transfuse.jar
#       OUT  default runs/ot-claims
#   env: SEEDS="1 2 3 4"  EPOCHS=20 (the recipe's)  SAMPLES=500  TEST=10000 (first N test images)
#        BARRIER_IMAGES=1000  STEPS=5  BUDGETS="2 5 10" (percent)  REGS="0.005 0.01 0.02 0.04 0.08 0.16 0.32"
#        METHODS="vanilla perm ot-emd ot-sinkhorn ot-emd-all"
#
# Heterogeneous fusion (a wide parent into a narrow one) is experiments/hetero-study.sh.
# Parents: the demo's recipe (the ViT's default config fitted to the 12,000 bundled training images,
# batch 128: 93 steps per epoch). A finetune of B % is 1 epoch on the first (93 x EPOCHS x B / 100) x 128
# training images, lr 3e-3 / 3, seed 7 (the demo's schedule), from the fused model or the parent.
# Every result is one JSON object per line in OUT/results.jsonl; a summary is printed at the end.
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
OUT=${2:-runs/ot-claims}
SEEDS=${SEEDS:-"1 2 3 4"}
EPOCHS=${EPOCHS:-20}
SAMPLES=${SAMPLES:-500}
TEST=${TEST:-10000}
BARRIER_IMAGES=${BARRIER_IMAGES:-1000}
STEPS=${STEPS:-5}
BUDGETS=${BUDGETS:-"2 5 10"}
REGS=${REGS:-"0.005 0.01 0.02 0.04 0.08 0.16 0.32"}
METHODS=${METHODS:-"vanilla perm ot-emd ot-sinkhorn ot-emd-all"}
BATCH=128
PARENT_STEPS=$(( 12000 / BATCH * EPOCHS ))
FT_LR=0.001

# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"

method_args() {
    case $1 in
        vanilla)     echo "--method vanilla" ;;
        perm)        echo "--method perm --samples $SAMPLES" ;;
        ot-emd)      echo "--method ot --solver emd --samples $SAMPLES" ;;
        ot-sinkhorn) echo "--method ot --solver sinkhorn --samples $SAMPLES" ;;
        ot-emd-all)  echo "--method ot --solver emd --residual all --samples $SAMPLES" ;;
        ot-sinkhorn-reg-*) echo "--method ot --solver sinkhorn --reg ${1#ot-sinkhorn-reg-} --samples $SAMPLES" ;;
        *) echo "unknown method $1" >&2; exit 2 ;;
    esac
}

# fuse_eval NAME METHOD MODEL...: fuse, one-shot test accuracy
fuse_eval() {
    local name=$1 m=$2; shift 2
    local data=(); [ "$m" = vanilla ] || data=(--data fashion-mnist)
    record fuse "$name" "$(tf fuse --models "$@" $(method_args "$m") "${data[@]}" --out "$OUT/fused/$name" --json \
        | jq -c 'with_entries(select(.value | type != "object" and type != "array"))')"
    record eval "$name" "$(tf eval --model "$OUT/fused/$name" --data fashion-mnist:$TEST --json)"
}

# barrier NAME METHOD A B: the curve with both endpoints, on the first BARRIER_IMAGES training images
barrier() {
    record barrier "$1" "$(tf barrier --models "$3" "$4" $(method_args "$2") --data fashion-mnist:$BARRIER_IMAGES \
        --steps $STEPS --out "$OUT/barrier/$1.json" --json | jq -c 'del(.points, .options, .models)')"
}

# finetune NAME MODEL: every budget, test accuracy after each
finetune() {
    local b steps
    for b in $BUDGETS; do
        steps=$(( PARENT_STEPS * b / 100 )); [ $steps -ge 1 ] || steps=1
        tf train --arch vit --init "$2" --data fashion-mnist:$(( steps * BATCH )) --epochs 1 --lr $FT_LR --seed 7 \
            --no-eval --out "$OUT/finetuned/$b/$1" --json > /dev/null
        record "finetune-$b" "$1" "$(tf eval --model "$OUT/finetuned/$b/$1" --data fashion-mnist:$TEST --json \
            | jq -c --argjson steps $steps '. + {steps: $steps}')"
    done
}

START=$(date +%s)
echo "ot claims study start $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. parents and their fair control
for s in $SEEDS; do
    echo "== parent seed $s" >&2
    [ -f "$OUT/vit-s$s/model.safetensors" ] || tf train --arch vit --data fashion-mnist --seed "$s" --epochs "$EPOCHS" \
        --no-eval --out "$OUT/vit-s$s" --json > /dev/null
    record eval "vit-s$s" "$(tf eval --model "$OUT/vit-s$s" --data fashion-mnist:$TEST --json)"
    finetune "vit-s$s" "$OUT/vit-s$s"
done

# 2. pairs
set -- $SEEDS
PARENTS=("$@")
PAIRS=()
while [ $# -gt 0 ]; do a=$1; shift; for b in "$@"; do PAIRS+=("$a-$b"); done; done
for p in "${PAIRS[@]}"; do
    a=${p%-*}; b=${p#*-}
    for m in $METHODS; do
        echo "== pair $p $m" >&2
        fuse_eval "s$a-s$b/$m" "$m" "$OUT/vit-s$a" "$OUT/vit-s$b"
        barrier "s$a-s$b/$m" "$m" "$OUT/vit-s$a" "$OUT/vit-s$b"
        finetune "s$a-s$b/$m" "$OUT/fused/s$a-s$b/$m"
    done
done

# 3. Sinkhorn reg sweep on the first pair (one-shot and barrier)
first=${PAIRS[0]}; a=${first%-*}; b=${first#*-}
for r in $REGS; do
    echo "== reg $r" >&2
    fuse_eval "s$a-s$b/ot-sinkhorn-reg-$r" "ot-sinkhorn-reg-$r" "$OUT/vit-s$a" "$OUT/vit-s$b"
    barrier "s$a-s$b/ot-sinkhorn-reg-$r" "ot-sinkhorn-reg-$r" "$OUT/vit-s$a" "$OUT/vit-s$b"
done

# 4. all parents at once (anchor: the first)
if [ ${#PARENTS[@]} -gt 2 ]; then
    models=(); for s in "${PARENTS[@]}"; do models+=("$OUT/vit-s$s"); done
    for m in $METHODS; do
        echo "== ${#PARENTS[@]}-way $m" >&2
        fuse_eval "all/$m" "$m" "${models[@]}"
        finetune "all/$m" "$OUT/fused/all/$m"
    done
fi
echo "ot claims study end $(date -Is), $(( $(date +%s) - START )) s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 5. summary: mean ± std over pairs; the fair control is the better parent of each pair after the same steps
python3 - "$RES" "$BUDGETS" "$METHODS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
budgets, methods = sys.argv[2].split(), sys.argv[3].split()
v = {(r["kind"], r["name"]): r for r in rows}
def ms(x): return "" if not x else f"{statistics.mean(x):.4f}" + (f" ± {statistics.stdev(x):.4f}" if len(x) > 1 else "")
pairs = sorted({n.split("/")[0] for k, n in v if k == "eval" and "/" in n and not n.startswith("all/")})
def parents(p): return [f"vit-{s}" for s in p.split("-")]
print("| model | one-shot | B' acc | B' ≠ B (pairs) | barrier (A, B') | barrier (A, B) | " + " | ".join(f"+{b} %" for b in budgets) + " |")
print("|---|---|---|---|---|---|" + "---|" * len(budgets))
print("| fair control (better parent of the pair) | " + ms([max(v[("eval", q)]["accuracy"] for q in parents(p)) for p in pairs])
      + " | | | | | " + " | ".join(ms([max(v[(f"finetune-{b}", q)]["accuracy"] for q in parents(p)) for p in pairs]) for b in budgets) + " |")
for m in methods:
    names = [f"{p}/{m}" for p in pairs]
    bar = [v[("barrier", n)] for n in names if ("barrier", n) in v]
    print(f"| {m} | " + ms([v[("eval", n)]["accuracy"] for n in names])
          + " | " + ms([b["aligned_endpoint_accuracy"] for b in bar])
          + f" | {sum(b['aligned_endpoint_differs'] for b in bar)}/{len(bar)}"
          + " | " + ms([b["barrier"] for b in bar]) + " | " + ms([b["barrier_original"] for b in bar])
          + " | " + " | ".join(ms([v[(f"finetune-{b}", n)]["accuracy"] for n in names if (f"finetune-{b}", n) in v]) for b in budgets) + " |")
regs = sorted((n for k, n in v if k == "eval" and "-reg-" in n), key=lambda n: float(n.rsplit("-", 1)[1]))
if regs:
    print("\n| sinkhorn reg (first pair) | one-shot | B' acc | barrier (A, B') | barrier (A, B) |\n|---|---|---|---|---|")
    for n in regs:
        b = v[("barrier", n)]
        print(f"| {n.rsplit('-', 1)[1]} | {v[('eval', n)]['accuracy']:.4f} | {b['aligned_endpoint_accuracy']:.4f} | {b['barrier']:.4f} | {b['barrier_original']:.4f} |")
nway = [m for m in methods if ("eval", f"all/{m}") in v]
if nway:
    print("\n| all parents at once | one-shot | " + " | ".join(f"+{b} %" for b in budgets) + " |\n|---|---|" + "---|" * len(budgets))
    for m in nway:
        n = f"all/{m}"
        print(f"| {m} | {v[('eval', n)]['accuracy']:.4f} | " + " | ".join(f"{v[(f'finetune-{b}', n)]['accuracy']:.4f}" for b in budgets) + " |")
PY
