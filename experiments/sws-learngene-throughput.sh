#!/usr/bin/env bash
# Learngene training throughput (issue 11): one run each, side by side, on fashion-mnist:4096,
# 1 epoch, batch 128, images/s from the trainer's epoch report (--json images_per_second):
#   1. the ancestor: the default ViT recipe (4 layers), ordinary training;
#   2. an ordinary 16-layer ViT (the ancestor's config with num_hidden_layers 16);
#   3. the learngene: a 16-layer Aux-Net in stages 3,3,4,3,3 distilled from the ancestor
#      (shared stage blocks + the ancestor's forward on every batch).
# Usage: experiments/sws-learngene-throughput.sh [WORKDIR]   (results in docs/sws.md, "Distillation")
set -euo pipefail
cd "$(dirname "$0")/.."
W="${1:-$(mktemp -d)}"
T=./transfuse
DATA=fashion-mnist:4096
rm -rf "$W/anc" "$W/deep" "$W/lg"
$T train --arch vit --data "$DATA" --epochs 1 --batch 128 --no-eval --out "$W/anc" --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print("ancestor (4 layers)   %.0f images/s" % r["images_per_second"])'
python3 - "$W" <<'PY'
import json, sys
c = json.load(open(sys.argv[1] + "/anc/config.json"))
c["num_hidden_layers"] = 16
json.dump(c, open(sys.argv[1] + "/deep.json", "w"))
PY
$T train --arch vit --config "$W/deep.json" --data "$DATA" --epochs 1 --batch 128 --no-eval --out "$W/deep" --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print("ordinary 16 layers    %.0f images/s" % r["images_per_second"])'
$T learngene --ancestor "$W/anc" --stages 3,3,4,3,3 --data "$DATA" --epochs 1 --batch 128 --out "$W/lg" --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print("learngene 3,3,4,3,3   %.0f images/s" % r["images_per_second"])'
