#!/usr/bin/env bash
# SWS on the bundled Fashion-MNIST subset (12,000 training images, the 10,000-image test split):
# an 8-layer ViT ancestor, a 3-stage learngene (3,3,2) distilled from it, then descendants of
# depths 2, 4, 6 and 8 initialized by sws (from the learngene), truncate (evenly spaced ancestor
# layers) and random, each finetuned for the same budget (EPOCHS_FT epochs) and tested.
# Usage: experiments/sws-study.sh OUT_DIR [ANCESTOR_EPOCHS=10] [LEARNGENE_EPOCHS=6] [EPOCHS_FT=1]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT=$1; ANC_EPOCHS=${2:-10}; LG_EPOCHS=${3:-6}; FT_EPOCHS=${4:-1}
T="$ROOT/transfuse"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
json() { tail -1 | python3 -c "import json,sys; d=json.load(sys.stdin); print(d.get('$1'))"; }

# The ancestor: the ViT recipe fitted to the data, 8 layers.
if [ ! -f "$OUT/ancestor/model.safetensors" ]; then
  "$T" train --arch vit --data fashion-mnist:256 --epochs 1 --no-eval --out "$OUT/probe-config" > /dev/null 2>&1
  python3 - "$OUT/probe-config/config.json" "$OUT/ancestor.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["num_hidden_layers"] = 8
json.dump(c, open(sys.argv[2], "w"), indent=2)
PY
  s=$(date +%s)
  acc=$("$T" train --config "$OUT/ancestor.json" --data fashion-mnist --epochs "$ANC_EPOCHS" --seed 1 \
        --out "$OUT/ancestor" --json 2> "$OUT/ancestor.log" | json test_accuracy)
  printf 'ancestor\t8\t%s epochs\t%s\t%s s\n' "$ANC_EPOCHS" "$acc" $(( $(date +%s) - s )) | tee -a "$RESULTS"
fi
if [ ! -f "$OUT/learngene/model.safetensors" ]; then
  s=$(date +%s)
  loss=$("$T" learngene --ancestor "$OUT/ancestor" --stages 3,3,2 --data fashion-mnist --epochs "$LG_EPOCHS" \
         --seed 2 --out "$OUT/learngene" --json 2> "$OUT/learngene.log" | json losses)
  printf 'learngene\t3 stages (3,3,2)\t%s epochs\tlosses %s\t%s s\n' "$LG_EPOCHS" "$loss" $(( $(date +%s) - s )) \
    | tee -a "$RESULTS"
fi
printf 'depth\tinit\ttest accuracy after %s finetune epoch(s)\tparameters\n' "$FT_EPOCHS" | tee -a "$RESULTS"
for depth in 2 4 6 8; do
  for init in sws truncate random; do
    src=(--learngene "$OUT/learngene"); [ "$init" = sws ] || src=(--from "$OUT/ancestor")
    d="$OUT/d$depth-$init"
    rm -rf "$d" "$d-ft"
    "$T" grow "${src[@]}" --init "$init" --depth "$depth" --seed 3 --out "$d" > /dev/null 2> "$d.log"
    acc=$("$T" train --arch vit --init "$d" --data fashion-mnist --epochs "$FT_EPOCHS" --seed 4 --out "$d-ft" \
          --json 2>> "$d.log" | json test_accuracy)
    params=$("$T" inspect "$d" --json 2> /dev/null | json parameters)
    printf '%s\t%s\t%s\t%s\n' "$depth" "$init" "$acc" "$params" | tee -a "$RESULTS"
  done
done
printf 'learngene parameters\t%s\n' "$("$T" inspect "$OUT/learngene" --json 2> /dev/null | json parameters)" \
  | tee -a "$RESULTS"
