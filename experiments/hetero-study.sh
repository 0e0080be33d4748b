#!/usr/bin/env bash
# Heterogeneous fusion study (ViT / Fashion-MNIST): a wide ViT (d 128, MLP 256) fused into a narrow one
# (d 64, MLP 128; the anchor, whose shape the fused model takes) by ot (sinkhorn and emd) and perm, against
# narrow models trained from scratch.
#
#   experiments/hetero-study.sh [JAR] [OUT]
#       JAR  default distributions/transfuse/target/transfuse.jar
#       OUT  default runs/hetero
#   env: PAIRS="1:2 3:4" (narrow seed : wide seed)  EPOCHS=4  SAMPLES=500
#
# Parents: the demo recipe (4 epochs on the 12,000 bundled training images = 372 steps at batch 128);
# narrow = the default config (recipes/fashion-mnist.json), wide = recipes/fashion-mnist-wide.json.
# Finetune = the demo's: 1 epoch on the first 4,736 training images (37 steps = 10 % of a parent's),
# lr 1e-3, seed 7, from the fused model. Controls, each evaluated on the full 10,000-image test split:
#   scratch-37   a narrow model trained from scratch for the same 37 steps (default lr 3e-3, seed 7)
#   narrow+37    the narrow parent given the same 37-step finetune (does extra training alone explain it?)
# One JSON line per result in OUT/results.jsonl; a table at the end.
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
OUT=${2:-runs/hetero}
PAIRS=${PAIRS:-"1:2 3:4"}
EPOCHS=${EPOCHS:-4}
SAMPLES=${SAMPLES:-500}
FT_IMAGES=4736
FT_LR=0.001
RECIPES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../bundles/transfuse.arch.vit/recipes" && pwd)
METHODS="ot-sinkhorn ot-emd perm"

# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"
TF_LOG="$OUT/stderr.log"

record_accuracy() {  # record_accuracy PAIR NAME JSON: the test accuracy (eval: accuracy; train: the last epoch's)
    jq -c --arg pair "$1" --arg name "$2" \
        '{pair: $pair, name: $name, accuracy: (.accuracy // .test_accuracy)}' \
        <<< "$3" | tee -a "$RES"
}
method_args() {
    case $1 in
        ot-sinkhorn) echo "--method ot --solver sinkhorn" ;;
        ot-emd)      echo "--method ot --solver emd" ;;
        perm)        echo "--method perm" ;;
    esac
}
finetune() {  # finetune INIT OUT
    tf train --arch vit --init "$1" --data fashion-mnist:$FT_IMAGES --epochs 1 --lr $FT_LR --seed 7 --out "$2" --json | tail -1
}

start=$(date +%s)
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for pair in $PAIRS; do
    n=${pair%:*} w=${pair#*:} p="n$n-w$w" d="$OUT/$p"
    tf train --arch vit --data fashion-mnist --seed "$n" --epochs "$EPOCHS" --no-eval --out "$d/narrow" --json > /dev/null
    record_accuracy "$p" narrow "$(tf eval --model "$d/narrow" --data fashion-mnist --json | tail -1)"
    tf train --arch vit --data fashion-mnist --config "$RECIPES/fashion-mnist-wide.json" --seed "$w" --epochs "$EPOCHS" \
        --no-eval --out "$d/wide" --json > /dev/null
    record_accuracy "$p" wide "$(tf eval --model "$d/wide" --data fashion-mnist --json | tail -1)"
    for m in $METHODS; do
        # shellcheck disable=SC2046
        tf fuse --models "$d/narrow" "$d/wide" $(method_args "$m") --data fashion-mnist:$SAMPLES --out "$d/$m" --json > /dev/null
        record_accuracy "$p" "$m" "$(tf eval --model "$d/$m" --data fashion-mnist --json | tail -1)"
        record_accuracy "$p" "$m+37" "$(finetune "$d/$m" "$d/$m-ft")"
    done
    record_accuracy "$p" "narrow+37" "$(finetune "$d/narrow" "$d/narrow-ft")"
    record_accuracy "$p" scratch-37 "$(tf train --arch vit --data fashion-mnist:$FT_IMAGES --epochs 1 --seed 7 --out "$d/scratch-37" --json | tail -1)"
done
echo "end $(date -u +%FT%TZ), $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
jq -rs 'group_by(.pair)[] | "\(.[0].pair): " + (map("\(.name) \(.accuracy)") | join(", "))' "$RES"
