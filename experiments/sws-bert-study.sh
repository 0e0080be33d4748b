#!/usr/bin/env bash
# SWS learngenes for BERT masked LMs on the bundled King James Bible (docs/sws-results.md, "BERT"):
#   1. a 4-layer BERT MLM ancestor (the kjv-mlm recipe of docs/bert.md at depth 4), ANC_EPOCHS epochs;
#   2. a 2-stage learngene (2,2) distilled from it over the masked positions (soft KD, alpha 1, tau 1);
#   3. descendants of depths 2 and 6 grown by sws (from the learngene) and random (the architecture's
#      initialization), each trained for the same FT_EPOCHS epochs on kjv; the held-out masked-token
#      loss (every 10th verse, fixed masks) after each epoch.
# Every run's --json result is kept in OUT/json/NAME.json and skipped when present.
# Usage: experiments/sws-bert-study.sh OUT [JAR] [ANC_EPOCHS=3] [LG_EPOCHS=2] [FT_EPOCHS=1]
set -euo pipefail
OUT=$1
JAR=${2:-distributions/transfuse/target/transfuse.jar}
ANC_EPOCHS=${3:-3}; LG_EPOCHS=${4:-2}; FT_EPOCHS=${5:-1}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/experiments/study-common.sh"
mkdir -p "$OUT/json" "$OUT/logs" "$OUT/models"
M="$OUT/models"


jq '.num_hidden_layers = 4' "$ROOT/bundles/transfuse.arch.bert/recipes/kjv-mlm.json" > "$OUT/ancestor-config.json"
keep ancestor train --arch bert --config "$OUT/ancestor-config.json" --data kjv --epochs "$ANC_EPOCHS" --seed 1 \
    --out "$M/ancestor"
keep learngene learngene --ancestor "$M/ancestor" --stages 2,2 --data kjv --epochs "$LG_EPOCHS" --seed 2 \
    --out "$M/learngene"
for depth in 2 6; do
    for init in sws random; do
        d="$M/grown-$depth-$init"
        if [ ! -f "$d/model.safetensors" ]; then
            src=(--from "$M/ancestor"); [ "$init" = sws ] && src=(--learngene "$M/learngene")
            tf grow "${src[@]}" --init "$init" --depth "$depth" --seed 3 --out "$d" > /dev/null 2>> "$OUT/logs/grow.log"
        fi
        keep "ft-$depth-$init" train --arch bert --init "$d" --data kjv --epochs "$FT_EPOCHS" --seed 4 \
            --out "$M/ft-$depth-$init"
    done
done
for name in ancestor learngene grown-2-sws grown-6-sws; do
    [ -f "$OUT/json/params-$name.json" ] || tf inspect "$M/$name" --json 2> /dev/null | tail -1 \
        | jq -c '{path, parameters}' > "$OUT/json/params-$name.json"
done
echo "done: the results are in $OUT/json"
