#!/usr/bin/env bash
# ViT / Fashion-MNIST seed study: 4 parents differing only in seed, all 6 pairs fused by vanilla, perm,
# ot+emd and ot+sinkhorn, one-shot test accuracy on the full 10,000-image test split, then a short
# finetune of every fused model (10 % of a parent's optimizer steps, the demo's finetune recipe).
#
#   experiments/seed-study.sh [JAR] [OUT]
#       JAR  default distributions/transfuse/target/transfuse.jar
#       OUT  default runs/study
#   env: SEEDS="1 2 3 4"  EPOCHS=4  SAMPLES=500  FINETUNE_METHODS="vanilla perm ot-emd ot-sinkhorn" (empty: none)
#
# Parents use the demo's recipe (`transfuse demo`): the ViT's default config and options fitted to the
# 12,000 bundled training images, 4 epochs (4 x 93 = 372 steps at batch 128), seeds as given. The finetune is
# the demo's too: 1 epoch on the first 37 x 128 = 4,736 training images (37 steps), lr 3e-3 / 3, seed 7,
# starting from the fused model (train --init); its test accuracy is the train command's end-of-epoch
# evaluation on the full test split.
#
# Every result is appended as one JSON object per line to OUT/results.jsonl; a summary table is printed
# at the end (python3). Wall time and load average are printed at the start and end.
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
OUT=${2:-runs/study}
SEEDS=${SEEDS:-"1 2 3 4"}
EPOCHS=${EPOCHS:-4}
SAMPLES=${SAMPLES:-500}
FINETUNE_METHODS=${FINETUNE_METHODS-"vanilla perm ot-emd ot-sinkhorn"}
METHODS="vanilla perm ot-emd ot-sinkhorn"
FT_IMAGES=4736   # 37 steps x batch 128 = 10 % of a parent's 372 steps
FT_LR=0.001      # the recipe's 3e-3 / 3, as in the demo

# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"
method_args() {
    case $1 in
        vanilla)     echo "--method vanilla" ;;
        perm)        echo "--method perm --data fashion-mnist:$SAMPLES" ;;
        ot-emd)      echo "--method ot --solver emd --data fashion-mnist:$SAMPLES" ;;
        ot-sinkhorn) echo "--method ot --solver sinkhorn --data fashion-mnist:$SAMPLES" ;;
    esac
}

START=$(date +%s)
echo "seed study start $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. parents
for s in $SEEDS; do
    echo "== train parent seed $s" >&2
    j=$(tf train --arch vit --data fashion-mnist --seed "$s" --epochs "$EPOCHS" --no-eval --out "$OUT/vit-s$s" --json)
    record train "vit-s$s" "$j"
    j=$(tf eval --model "$OUT/vit-s$s" --data fashion-mnist --json)
    record eval "vit-s$s" "$j"
done

# 2. pairs: fuse and evaluate one-shot
set -- $SEEDS
PAIRS=()
while [ $# -gt 0 ]; do a=$1; shift; for b in "$@"; do PAIRS+=("$a-$b"); done; done
for p in "${PAIRS[@]}"; do
    a=${p%-*}; b=${p#*-}
    for m in $METHODS; do
        f="$OUT/fused/s$a-s$b/$m"
        echo "== fuse $p $m" >&2
        j=$(tf fuse --models "$OUT/vit-s$a" "$OUT/vit-s$b" $(method_args "$m") --out "$f" --json)
        record fuse "s$a-s$b/$m" "$(jq -c 'with_entries(select(.value | type != "object" and type != "array"))' <<< "$j")"
        j=$(tf eval --model "$f" --data fashion-mnist --json)
        record eval "s$a-s$b/$m" "$j"
    done
done

# 3. finetune (method outer, pair inner)
for m in $FINETUNE_METHODS; do
    for p in "${PAIRS[@]}"; do
        a=${p%-*}; b=${p#*-}
        echo "== finetune $p $m" >&2
        j=$(tf train --arch vit --init "$OUT/fused/s$a-s$b/$m" --data fashion-mnist:$FT_IMAGES --epochs 1 \
            --lr $FT_LR --seed 7 --out "$OUT/finetuned/s$a-s$b/$m" --json)
        record finetune "s$a-s$b/$m" "$j"
    done
done

END=$(date +%s)
echo "seed study wall $((END - START)) s; end $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 4. summary
python3 - "$RES" "$SEEDS" "$METHODS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
seeds, methods = sys.argv[2].split(), sys.argv[3].split()
acc = {(r["kind"], r["name"]): r.get("accuracy", r.get("test_accuracy")) for r in rows}
pairs = [(a, b) for i, a in enumerate(seeds) for b in seeds[i + 1:]]
print("parents: " + "  ".join(f"s{s} {acc[('eval', f'vit-s{s}')]:.4f}" for s in seeds))
for kind, title in (("eval", "one-shot"), ("finetune", "finetuned")):
    if not any(k == kind and "/" in n for k, n in acc): continue
    print(f"\n{title}: pair | parent A | parent B | " + " | ".join(methods))
    cols = {m: [] for m in methods}; best = []
    for a, b in pairs:
        pa, pb = acc[("eval", f"vit-s{a}")], acc[("eval", f"vit-s{b}")]
        best.append(max(pa, pb))
        cells = []
        for m in methods:
            v = acc.get((kind, f"s{a}-s{b}/{m}"))
            if v is not None: cols[m].append(v)
            cells.append("" if v is None else f"{v:.4f}")
        print(f"s{a}-s{b} | {pa:.4f} | {pb:.4f} | " + " | ".join(cells))
    def ms(v): return f"{statistics.mean(v):.4f} ± {statistics.stdev(v):.4f}" if len(v) > 1 else ""
    print(f"mean ± std | best parent {ms(best)} | " + " | ".join(ms(cols[m]) for m in methods))
EOF
