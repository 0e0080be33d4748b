#!/usr/bin/env bash
# OT's residual policy, `mean` (the paper's, the default) against `all` (one map per residual stream),
# for ot+emd and ot+sinkhorn, with Q/K maps `separate` (the default) and `joint`, on two parents
# (default: the demo's cached ones). Per variant: one-shot test accuracy, the loss barrier with both
# endpoints (B' = parent 2 aligned to parent 1, and parent 2 as trained), and the test accuracy after
# the demo's finetune; the parents get the same finetune (the fair control).
#
#   experiments/ot-residual-study.sh [JAR] [OUT] [A B]
#       JAR  default distributions/transfuse/target/transfuse.jar
#       OUT  default runs/ot-residual
#       A B  default ~/.transfuse/demo/vit-fashion-mnist-e4-seed1 and ...-seed2 (run `transfuse demo` first)
#   env: SAMPLES=500  TEST=2000 (first N test images)  BARRIER_IMAGES=1000  STEPS=5
#
# The finetune is the demo's: 1 epoch on the first 37 x 128 = 4,736 training images, lr 3e-3 / 3, seed 7,
# from the fused model (train --init); accuracy on the first TEST test images, as the demo measures.
# Results: one JSON object per line in OUT/results.jsonl, a table at the end (python3).
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
OUT=${2:-runs/ot-residual}
A=${3:-$HOME/.transfuse/demo/vit-fashion-mnist-e4-seed1}
B=${4:-$HOME/.transfuse/demo/vit-fashion-mnist-e4-seed2}
SAMPLES=${SAMPLES:-500}
TEST=${TEST:-2000}
BARRIER_IMAGES=${BARRIER_IMAGES:-1000}
STEPS=${STEPS:-5}
FT_IMAGES=4736
FT_LR=0.001

# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"

finetune_and_eval() { # NAME MODEL
    tf train --arch vit --init "$2" --data fashion-mnist:$FT_IMAGES --epochs 1 --lr $FT_LR --seed 7 --no-eval \
        --out "$OUT/finetuned/$1" --json > /dev/null
    record finetuned "$1" "$(tf eval --model "$OUT/finetuned/$1" --data fashion-mnist:$TEST --json)"
}

START=$(date +%s)
echo "ot residual study start $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for p in "$A:parent-a" "$B:parent-b"; do
    record eval "${p#*:}" "$(tf eval --model "${p%%:*}" --data fashion-mnist:$TEST --json)"
    finetune_and_eval "${p#*:}" "${p%%:*}"
done
for solver in emd sinkhorn; do
    for qk in separate joint; do
        for residual in mean all; do
            name="$solver-$qk-$residual"
            echo "== $name" >&2
            args=(--models "$A" "$B" --method ot --solver $solver --qk $qk --residual $residual --samples $SAMPLES)
            t0=$(date +%s.%N)
            tf fuse "${args[@]}" --data fashion-mnist --out "$OUT/fused/$name" --json > /dev/null
            t1=$(date +%s.%N)
            record eval "$name" "$(tf eval --model "$OUT/fused/$name" --data fashion-mnist:$TEST --json \
                | jq -c --argjson s "$(echo "$t1 - $t0" | bc)" '. + {fuse_wall_seconds: $s}')"
            # The barrier aligns again on the same first SAMPLES training images (deterministic: the same B') and
            # measures the loss on the first BARRIER_IMAGES, as the demo does.
            j=$(tf barrier "${args[@]}" --data fashion-mnist:$BARRIER_IMAGES --steps $STEPS --out "$OUT/barrier/$name.json" \
                --json | jq -c 'del(.points, .options, .models)')
            record barrier "$name" "$j"
            finetune_and_eval "$name" "$OUT/fused/$name"
        done
    done
done
echo "ot residual study end $(date -Is), $(( $(date +%s) - START )) s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$RES" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["name"], {})[r["kind"]] = r
print("| variant | one-shot | B' acc (train) | B acc (train) | B' differs | barrier (A, B') | barrier (A, B) | finetuned | fuse wall s |")
print("|---|---|---|---|---|---|---|---|---|")
for name, r in rows.items():
    if name.startswith("parent"):
        print(f"| {name} | {r['eval']['accuracy']:.4f} | | | | | | {r['finetuned']['accuracy']:.4f} | |")
        continue
    b = r["barrier"]
    print(f"| {name} | {r['eval']['accuracy']:.4f} | {b['aligned_endpoint_accuracy']:.4f} | {b['endpoint_accuracy']:.4f} | "
          f"{b['aligned_endpoint_differs']} | {b['barrier']:.4f} | {b['barrier_original']:.4f} | "
          f"{r['finetuned']['accuracy']:.4f} | {r['eval']['fuse_wall_seconds']:.1f} |")
PY
