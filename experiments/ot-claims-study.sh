#!/usr/bin/env bash
# The OT paper's headline claims (Imfeld et al., ICLR 2024) under its own conditions, on ViT /
# Fashion-MNIST with converged parents (docs/results.md, "OT claims with converged parents"):
#   parents  SEEDS parents of the default ViT recipe, EPOCHS epochs on the full training set;
#   tune     the finetune schedule (peak lr x warm-up) tuned on the first pair's ot-sinkhorn fusion at
#            the 5 % budget (the parent of that pair given the same grid, for the record); the best
#            schedule is kept in OUT/schedule.env and used by every later finetune, fused or parent;
#   pairs    every pair fused by each of METHODS: one-shot test accuracy, the loss barrier (B and B'
#            both, the barrier against each), finetunes of BUDGETS % of a parent's optimizer steps;
#            each parent finetuned the same way (the fair control);
#   nway     all parents fused at once (anchor: the first), one-shot and finetuned;
#   hetero   a wide parent (recipes/fashion-mnist-wide.json, trained like the others) fused into the
#            first (narrow) parent, one-shot and finetuned;
#   sweep    Sinkhorn reg REGS, from activations and from weights, on every pair, one-shot, with
#            exact emd from weights beside it; the activation ones also after a SWEEP_BUDGET % finetune.
#
#   experiments/ot-claims-study.sh DATA_DIR OUT [JAR]
#       DATA_DIR  the folder of the four Fashion-MNIST IDX files (60,000 training images)
#       JAR       default distributions/transfuse/target/transfuse.jar
#   env: SEEDS="1 2 3 4"  EPOCHS=10  SAMPLES=500  BARRIER_IMAGES=1000  STEPS=5  BUDGETS="2 5 10"
#        METHODS="vanilla perm ot-emd ot-sinkhorn ot-emd-all ot-sinkhorn-all"
#        REGS="0.005 0.01 0.02 0.04 0.08 0.16 0.32"  SWEEP_BUDGET=2  PHASES="parents tune pairs nway hetero sweep"
#        FT_LR / FT_WARMUP: a fixed schedule instead of the tuned one
#
# Every command's --json result is kept in OUT/json/NAME.json (study-common.sh's keep): a run whose
# result exists is skipped, so the script continues where an interrupted run stopped.
# experiments/ot-claims-summary.py OUT prints the tables of docs/results.md from those files.
set -euo pipefail

DATA=$1; OUT=$2
JAR=${3:-distributions/transfuse/target/transfuse.jar}
SEEDS=${SEEDS:-"1 2 3 4"}
EPOCHS=${EPOCHS:-10}
SAMPLES=${SAMPLES:-500}
BARRIER_IMAGES=${BARRIER_IMAGES:-1000}
STEPS=${STEPS:-5}
BUDGETS=${BUDGETS:-"2 5 10"}
METHODS=${METHODS:-"vanilla perm ot-emd ot-sinkhorn ot-emd-all ot-sinkhorn-all"}
REGS=${REGS:-"0.005 0.01 0.02 0.04 0.08 0.16 0.32"}
PHASES=${PHASES:-"parents tune pairs nway hetero sweep"}
SWEEP_BUDGET=${SWEEP_BUDGET:-2}
RECIPES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../bundles/transfuse.arch.vit/recipes" && pwd)
source "$(dirname "$0")/study-common.sh"
M="$OUT/models"
mkdir -p "$M"
BATCH=128
# A parent's optimizer steps: 468 per epoch (the trainer drops the last partial batch of 60,000 images).
PARENT_STEPS=$(( 60000 / BATCH * EPOCHS ))
KEYS='{test_accuracy, test_loss, accuracy, barrier, barrier_original, aligned_endpoint_accuracy, wall_seconds}'
export KEYS

method_args() {
    case $1 in
        vanilla)         echo "--method vanilla" ;;
        perm)            echo "--method perm --data fashion-mnist --samples $SAMPLES" ;;
        ot-emd)          echo "--method ot --solver emd --data fashion-mnist --samples $SAMPLES" ;;
        ot-sinkhorn)     echo "--method ot --solver sinkhorn --data fashion-mnist --samples $SAMPLES" ;;
        # One map per residual stream, Q/K joint, heads as wholes: with emd B' computes B's function.
        ot-emd-all)      echo "--method ot --solver emd --residual all --qk joint --heads permute --data fashion-mnist --samples $SAMPLES" ;;
        ot-sinkhorn-all) echo "--method ot --solver sinkhorn --residual all --qk joint --heads permute --data fashion-mnist --samples $SAMPLES" ;;
        ot-emd-weights)  echo "--method ot --solver emd --align weights" ;;
        reg-acts-*)      echo "--method ot --solver sinkhorn --reg ${1#reg-acts-} --data fashion-mnist --samples $SAMPLES" ;;
        reg-weights-*)   echo "--method ot --solver sinkhorn --reg ${1#reg-weights-} --align weights" ;;
        *) echo "unknown method $1" >&2; exit 2 ;;
    esac
}

# fused NAME METHOD MODEL...: fuse once (kept), then its one-shot test accuracy
fused() {
    local name=$1 m=$2; shift 2
    # shellcheck disable=SC2046
    keep "fuse-$name" fuse --models "$@" $(method_args "$m") --out "$M/fused/$name"
    keep "eval-$name" eval --model "$M/fused/$name" --data fashion-mnist
}

# finetune NAME MODEL BUDGET [LR WARMUP TAG]: 1 epoch over the first (steps x 128) training images,
# from MODEL, with the fixed schedule (or the one given), test accuracy after it
finetune() {
    local name=$1 model=$2 b=$3 lr=${4:-$FT_LR} warmup=${5:-$FT_WARMUP} tag=${6:-}
    local steps=$(( PARENT_STEPS * b / 100 ))
    local images=$(( steps * BATCH ))
    keep "ft$b$tag-$name" train --arch vit --init "$model" --data "$DATA:$images" --epochs 1 \
        --lr "$lr" --warmup "$warmup" --seed 7 --out "$M/ft$b$tag/$name"
}

phase() { [[ " $PHASES " == *" $1 "* ]]; }

set -- $SEEDS
PARENTS=("$@")
PAIRS=()
while [ $# -gt 0 ]; do a=$1; shift; for b in "$@"; do PAIRS+=("$a-$b"); done; done
first=${PAIRS[0]}

START=$(date +%s)
echo "ot claims study $PHASES start $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)"

if phase parents; then
    for s in "${PARENTS[@]}"; do
        keep "parent-s$s" train --arch vit --data "$DATA" --epochs "$EPOCHS" --seed "$s" --out "$M/vit-s$s"
    done
fi

if phase tune; then
    a=${first%-*}; b=${first#*-}
    fused "s$a-s$b/ot-sinkhorn" ot-sinkhorn "$M/vit-s$a" "$M/vit-s$b"
    for lr in 0.0003 0.001 0.003; do
        for w in 0 0.2; do
            finetune "s$a-s$b/ot-sinkhorn" "$M/fused/s$a-s$b/ot-sinkhorn" 5 $lr $w "-lr$lr-w$w"
            finetune "vit-s$a" "$M/vit-s$a" 5 $lr $w "-lr$lr-w$w"
        done
    done
    # The schedule with the best fused accuracy (ties: the first in the grid's order).
    best=$(for f in "$OUT"/json/ft5-lr*-s$a-s$b/ot-sinkhorn.json; do
        echo "$(jq .test_accuracy "$f") $(basename "$(dirname "$f")")"; done | sort -s -k1,1nr | head -1 | cut -d' ' -f2)
    lr=${best#ft5-lr}; lr=${lr%%-w*}; w=${best#*-w}; w=${w%%-s*}
    printf 'FT_LR=%s\nFT_WARMUP=%s\n' "$lr" "$w" > "$OUT/schedule.env"
    echo "tuned schedule: $(tr '\n' ' ' < "$OUT/schedule.env")"
fi
if [ -z "${FT_LR:-}" ]; then
    # shellcheck disable=SC1091
    [ -f "$OUT/schedule.env" ] && source "$OUT/schedule.env"
fi
FT_LR=${FT_LR:-0.001}; FT_WARMUP=${FT_WARMUP:-0.05}

if phase pairs; then
    for s in "${PARENTS[@]}"; do
        keep "eval-vit-s$s" eval --model "$M/vit-s$s" --data fashion-mnist
        for b in $BUDGETS; do finetune "vit-s$s" "$M/vit-s$s" "$b"; done
    done
    for p in "${PAIRS[@]}"; do
        a=${p%-*}; b=${p#*-}
        for m in $METHODS; do
            fused "s$a-s$b/$m" "$m" "$M/vit-s$a" "$M/vit-s$b"
            # shellcheck disable=SC2046
            keep "barrier-s$a-s$b/$m" barrier --models "$M/vit-s$a" "$M/vit-s$b" $(method_args "$m" \
                | sed 's/--data fashion-mnist//') --data "fashion-mnist:$BARRIER_IMAGES" --steps "$STEPS" \
                --out "$OUT/barrier/s$a-s$b/$m.json"
            for bu in $BUDGETS; do finetune "s$a-s$b/$m" "$M/fused/s$a-s$b/$m" "$bu"; done
        done
    done
fi

if phase nway && [ ${#PARENTS[@]} -gt 2 ]; then
    models=(); for s in "${PARENTS[@]}"; do models+=("$M/vit-s$s"); done
    for m in $METHODS; do
        fused "all/$m" "$m" "${models[@]}"
        for bu in $BUDGETS; do finetune "all/$m" "$M/fused/all/$m" "$bu"; done
    done
fi

if phase hetero; then
    a=${PARENTS[0]}
    keep parent-wide train --config "$RECIPES/fashion-mnist-wide.json" --data "$DATA" --epochs "$EPOCHS" --seed 11 \
        --out "$M/vit-wide"
    keep eval-vit-wide eval --model "$M/vit-wide" --data fashion-mnist
    for m in perm ot-emd ot-sinkhorn; do
        fused "hetero/$m" "$m" "$M/vit-s$a" "$M/vit-wide"
        for bu in $BUDGETS; do finetune "hetero/$m" "$M/fused/hetero/$m" "$bu"; done
    done
fi

if phase sweep; then
    for p in "${PAIRS[@]}"; do
        a=${p%-*}; b=${p#*-}
        fused "s$a-s$b/ot-emd-weights" ot-emd-weights "$M/vit-s$a" "$M/vit-s$b"
        for r in $REGS; do
            fused "s$a-s$b/reg-acts-$r" "reg-acts-$r" "$M/vit-s$a" "$M/vit-s$b"
            finetune "s$a-s$b/reg-acts-$r" "$M/fused/s$a-s$b/reg-acts-$r" "$SWEEP_BUDGET"
            fused "s$a-s$b/reg-weights-$r" "reg-weights-$r" "$M/vit-s$a" "$M/vit-s$b"
        done
    done
fi
echo "ot claims study end $(date -Is), $(( $(date +%s) - START )) s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
