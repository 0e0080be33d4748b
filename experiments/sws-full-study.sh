#!/usr/bin/env bash
# SWS learngenes on the full Fashion-MNIST (60,000 training images, the 10,000-image test split),
# the protocol of docs/sws-results.md:
#   1. an 8-layer ViT ancestor trained for SCRATCH_EPOCHS epochs (the scratch recipe);
#   2. a 3-stage learngene (3,3,2) distilled from it (soft KD, alpha 1, tau 1);
#   3. descendants of depths 2, 4, 6, 8 and 12 initialized by sws, truncate and random, each
#      finetuned for 1 epoch (= 10 % of the scratch steps when SCRATCH_EPOCHS is 10);
#   4. scratch models (random init, SCRATCH_EPOCHS epochs) of depths 2, 4, 6 and 12; the ancestor
#      is the depth-8 scratch model;
#   5. every init finetuned for FT_LONG epochs, with the test accuracy after each epoch, to find the
#      steps it needs to reach the scratch model's final accuracy;
#   6. follow-ups: 0-step accuracies, a lower finetune lr, a learngene distilled LG_LONG (10) epochs.
# Every run's --json result is kept in OUT/json/NAME.json; a run whose result exists is skipped, so
# the script continues where an interrupted run stopped. experiments/sws-summary.py OUT prints the
# tables of docs/sws-results.md from those files.
# Usage: experiments/sws-full-study.sh DATA_DIR OUT [JAR] [SCRATCH_EPOCHS=10] [LG_EPOCHS=3] [FT_LONG=3]
#   DATA_DIR: the folder of the four Fashion-MNIST IDX files (.gz or not)
set -euo pipefail
DATA=$1; OUT=$2
JAR=${3:-distributions/transfuse/target/transfuse.jar}
SCRATCH_EPOCHS=${4:-10}; LG_EPOCHS=${5:-3}; FT_LONG=${6:-3}
source "$(dirname "$0")/study-common.sh"
mkdir -p "$OUT/json" "$OUT/logs" "$OUT/models"
M="$OUT/models"


# config DEPTH: the ViT recipe fitted to the data, at DEPTH layers.
config() {
    local c="$OUT/config-$1.json"
    if [ ! -f "$c" ]; then
        [ -f "$OUT/probe/config.json" ] || tf train --arch vit --data "$DATA:256" --epochs 1 --no-eval \
            --out "$OUT/probe" > /dev/null 2>> "$OUT/logs/probe.log"
        jq --argjson d "$1" '.num_hidden_layers = $d' "$OUT/probe/config.json" > "$c"
    fi
    echo "$c"
}

# 1. The ancestor (also the depth-8 scratch model).
keep ancestor train --config "$(config 8)" --data "$DATA" --epochs "$SCRATCH_EPOCHS" --seed 1 --out "$M/ancestor"
# 2. The learngene.
keep learngene learngene --ancestor "$M/ancestor" --stages 3,3,2 --data "$DATA" --epochs "$LG_EPOCHS" --seed 2 \
    --out "$M/learngene"

# grown DEPTH INIT: the descendant's directory, grown once.
grown() {
    local d="$M/grown-$1-$2"
    if [ ! -f "$d/model.safetensors" ]; then
        local src=(--from "$M/ancestor")
        [ "$2" = sws ] && src=(--learngene "$M/learngene")
        # truncate deeper than the ancestor: evenly spaced ancestor layers, each repeated
        if [ "$2" = truncate ] && [ "$1" -gt 8 ]; then
            src+=(--layers-source "$(python3 -c "print(','.join(str(i * 8 // $1) for i in range($1)))")")
        fi
        tf grow "${src[@]}" --init "$2" --depth "$1" --seed 3 --out "$d" > /dev/null 2>> "$OUT/logs/grow.log"
    fi
    echo "$d"
}

DEPTHS=(2 4 6 8 12)
INITS=(sws truncate random)
# 3. Budget: 1 epoch.
for depth in "${DEPTHS[@]}"; do
    for init in "${INITS[@]}"; do
        keep "ft1-$depth-$init" train --arch vit --init "$(grown "$depth" "$init")" --data "$DATA" --epochs 1 \
            --seed 4 --out "$M/ft1-$depth-$init"
    done
done
# 4. Scratch models.
for depth in 2 4 6 12; do
    keep "scratch-$depth" train --config "$(config "$depth")" --data "$DATA" --epochs "$SCRATCH_EPOCHS" --seed 1 \
        --out "$M/scratch-$depth"
done
# 5. Longer finetunes with the curve.
for init in "${INITS[@]}"; do
    for depth in "${DEPTHS[@]}"; do
        keep "ft$FT_LONG-$depth-$init" train --arch vit --init "$(grown "$depth" "$init")" --data "$DATA" \
            --epochs "$FT_LONG" --seed 4 --out "$M/ft$FT_LONG-$depth-$init"
    done
done
# 6. Follow-ups (docs/sws-results.md, "A longer distillation"): each grown model's accuracy before any
#    finetuning, a lower finetune learning rate at depth 4, and a learngene distilled for LG_LONG epochs
#    with its descendants' 0-step and 1-epoch accuracy.
LG_LONG=${LG_LONG:-10}
eval0() {  # eval0 NAME MODEL: test accuracy without finetuning, kept as OUT/json/eval0-NAME.json
    [ -s "$OUT/json/eval0-$1.json" ] || tf eval --model "$2" --data "$DATA" --json 2> /dev/null | tail -1 \
        > "$OUT/json/eval0-$1.json"
}
for depth in 4 8; do for init in sws truncate; do eval0 "$depth-$init" "$(grown "$depth" "$init")"; done; done
for lr in 0.001 0.0003; do
    for init in "${INITS[@]}"; do
        keep "ft1-4-$init-lr$lr" train --arch vit --init "$(grown 4 "$init")" --data "$DATA" --epochs 1 --seed 4 \
            --lr "$lr" --out "$M/ft1-4-$init-lr$lr"
    done
done
keep "learngene-e$LG_LONG" learngene --ancestor "$M/ancestor" --stages 3,3,2 --data "$DATA" --epochs "$LG_LONG" \
    --seed 2 --out "$M/learngene-e$LG_LONG"
for depth in "${DEPTHS[@]}"; do
    g="$M/grown-$depth-sws-e$LG_LONG"
    [ -f "$g/model.safetensors" ] || tf grow --learngene "$M/learngene-e$LG_LONG" --init sws --depth "$depth" \
        --seed 3 --out "$g" > /dev/null 2>> "$OUT/logs/grow.log"
    eval0 "$depth-sws-e$LG_LONG" "$g"
    keep "ft1-$depth-sws-e$LG_LONG" train --arch vit --init "$g" --data "$DATA" --epochs 1 --seed 4 \
        --out "$M/ft1-$depth-sws-e$LG_LONG"
done
# Parameters stored: the learngene against one model per depth.
for name in learngene $(for d in "${DEPTHS[@]}"; do echo "grown-$d-sws"; done); do
    [ -f "$OUT/json/params-$name.json" ] || tf inspect "$M/$name" --json 2> /dev/null | tail -1 \
        | jq -c '{path, parameters}' > "$OUT/json/params-$name.json"
done
echo "done: python3 experiments/sws-summary.py $OUT"
