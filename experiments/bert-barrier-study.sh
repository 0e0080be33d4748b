#!/usr/bin/env bash
# BERT / KJV loss-barrier study (the merging paper's MultiBERTs setting, small): MLM BERTs that differ
# only in seed, every pair, loss barrier of vanilla averaging and of permutation merging with each
# attention-head treatment and each residual-permutation source.
#
#   experiments/bert-barrier-study.sh [JAR] [MODELS] [OUT]
#       JAR     default distributions/transfuse/target/transfuse.jar
#       MODELS  directory holding mlm-full-s1 ... mlm-full-s4 (the recipe in docs/bert.md, 3 epochs on all of kjv)
#       OUT     default runs/bert-barriers
#   env: SEEDS="1 2 3 4"  DATA=kjv:600 (loss along the path; its first SAMPLES verses align)  SAMPLES=500  STEPS=11
#
# Variants (perm = correlation of standardised activations + maximised linear assignment):
#   vanilla                      plain averaging (no alignment)
#   heads-ignore / heads-monotonic / heads-permute
#                                attention and MLP permuted, residual stream not (--residual-perm identity):
#                                the paper's Table 1 setting (authors' experiment/run_mha_experiments.sh)
#   res-first / res-last / res-all
#                                everything permuted (Head-Perm) with one residual permutation from the
#                                stream's first tap, last tap or all taps (the paper's Table 2 residual choices)
#   res-separate                 every residual space on its own: not function-preserving (reported as such)
#
# One JSON line per barrier run goes to OUT/results.jsonl; OUT/CURVE-*.json keep each curve. A summary
# table (mean ± sample std of the barrier over the pairs, and how many pairs each variant beats vanilla in)
# is printed at the end.
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
MODELS=${2:-runs/bert}
OUT=${3:-runs/bert-barriers}
SEEDS=${SEEDS:-"1 2 3 4"}
DATA=${DATA:-kjv:600}
SAMPLES=${SAMPLES:-500}
STEPS=${STEPS:-11}
VARIANTS="vanilla heads-ignore heads-monotonic heads-permute res-first res-last res-all res-separate"

for s in $SEEDS; do
    [ -f "$MODELS/mlm-full-s$s/config.json" ] || { echo "missing model: $MODELS/mlm-full-s$s" >&2; exit 2; }
done
# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"
# --samples applies only to the variants that align from activations (barrier refuses it with vanilla).
variant_args() {
    local perm="--method perm --samples $SAMPLES"
    case $1 in
        vanilla)         echo "--method vanilla" ;;
        heads-ignore)    echo "$perm --heads ignore --residual-perm identity" ;;
        heads-monotonic) echo "$perm --heads monotonic --residual-perm identity" ;;
        heads-permute)   echo "$perm --heads permute --residual-perm identity" ;;
        res-first)       echo "$perm --heads permute --residual-perm first" ;;
        res-last)        echo "$perm --heads permute --residual-perm last" ;;
        res-all)         echo "$perm --heads permute --residual-perm all" ;;
        res-separate)    echo "$perm --heads permute --residual-perm separate" ;;
    esac
}

start=$(date +%s)
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
set -- $SEEDS
seeds=("$@")
for ((i = 0; i < ${#seeds[@]}; i++)); do
    for ((j = i + 1; j < ${#seeds[@]}; j++)); do
        a=${seeds[$i]} b=${seeds[$j]}
        for v in $VARIANTS; do
            t0=$(date +%s)
            # shellcheck disable=SC2046
            json=$(tf barrier --models "$MODELS/mlm-full-s$a" "$MODELS/mlm-full-s$b" $(variant_args "$v") \
                --data "$DATA" --steps "$STEPS" --out "$OUT/curve-s$a-s$b-$v.json" --json \
                2>> "$OUT/stderr.log" | tail -1)
            jq -c --arg pair "s$a-s$b" --arg variant "$v" --argjson seconds "$(( $(date +%s) - t0 ))" \
                '{pair: $pair, variant: $variant, barrier: .barrier, seconds: $seconds,
                  end_losses: [.points[0].loss, .points[-1].loss], mid_loss: .points[(.points | length) / 2 | floor].loss}' \
                <<< "$json" | tee -a "$RES"
        done
    done
done
echo "end $(date -u +%FT%TZ), $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
printf '%-16s %8s %8s %6s %s\n' variant mean std pairs "beats vanilla"
for v in $VARIANTS; do
    jq -rs --arg v "$v" '
        (map(select(.variant == "vanilla")) | map({key: .pair, value: .barrier}) | from_entries) as $van
        | map(select(.variant == $v)) as $r
        | ($r | map(.barrier)) as $x | ($x | add / length) as $m
        | (if ($x | length) > 1 then ($x | map((. - $m) * (. - $m)) | add / (length - 1) | sqrt) else 0 end) as $sd
        | ($r | map(select(.barrier < $van[.pair])) | length) as $wins
        | "\($v)\t\($m)\t\($sd)\t\($x | length)\t\($wins)"' "$RES" \
    | awk -F'\t' '{printf "%-16s %8.4f %8.4f %6d %d\n", $1, $2, $3, $4, $5}'
done
