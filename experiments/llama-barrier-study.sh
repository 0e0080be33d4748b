#!/usr/bin/env bash
# Llama / KJV loss-barrier study: small decoders (the llama recipe, bundles/transfuse.arch.llama/recipes/kjv-clm.json)
# trained from scratch on a KJV subset with different seeds, every pair, loss and perplexity barrier of vanilla
# averaging, permutation merging (perm) and OT fusion with exact EMD (ot: mean residual; ot-all: one map per
# residual stream), all through the real command line.
# The llama bundle is not in the distribution: it is hot-added by copying its jar into HOME/deploy of a fresh
# TRANSFUSE_HOME, which one-shot commands install after the built-in bundles (docs/cli.md, DeployedPlugins).
#
#   experiments/llama-barrier-study.sh [JAR] [LLAMA_JAR] [OUT]
#       JAR        default distributions/transfuse/target/transfuse.jar
#       LLAMA_JAR  default bundles/transfuse.arch.llama/target/transfuse.arch.llama-0.1.0-SNAPSHOT.jar
#       OUT        default runs/llama-barriers
#   env: SEEDS="1 2 3 4"  TRAIN=kjv:4000  EPOCHS=1  DATA=kjv:400 (loss along the path; its first SAMPLES verses
#        align)  SAMPLES=200  STEPS=5  SUMMARY=only (print the table of an earlier run's OUT/results.jsonl)
#
# One JSON line per command goes to OUT/results.jsonl (the command, its wall seconds, its JSON result: for a
# barrier the whole curve); OUT/curve-*.json keep each curve. A markdown table (mean ± sample std over the pairs)
# is printed at the end. Run it niced on a shared machine: nice -n 10 experiments/llama-barrier-study.sh
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
LLAMA_JAR=${2:-bundles/transfuse.arch.llama/target/transfuse.arch.llama-0.1.0-SNAPSHOT.jar}
OUT=${3:-runs/llama-barriers}
SEEDS=${SEEDS:-"1 2 3 4"}
TRAIN=${TRAIN:-kjv:4000}
EPOCHS=${EPOCHS:-1}
DATA=${DATA:-kjv:400}
SAMPLES=${SAMPLES:-200}
STEPS=${STEPS:-5}
METHODS="vanilla perm ot ot-all"

# Per method over the pairs: loss barrier = max loss on the path - mean of the end losses (the engine's figure,
# with B' the aligned B at lambda 0); perplexity barrier = max exp(loss) - mean of the end perplexities; the
# loss of B' minus the loss of B itself (vanilla's lambda-0 point): what the alignment changed in B's function
# (0 for an exactly function-preserving alignment); mean ± sample std, and the mean wall time of a barrier.
summarize() {
    echo "| method | loss barrier | perplexity barrier | loss of B' − loss of B | midpoint perplexity | end perplexities (mean) | seconds per barrier |"
    echo "|---|---|---|---|---|---|---|"
    for m in $METHODS; do
        jq -rs --arg m "$m" '
            def mean: add / length;
            def std: (mean) as $u | if length > 1 then (map((. - $u) * (. - $u)) | add / (length - 1) | sqrt) else 0 end;
            def r3: . * 1000 | round / 1000;
            def pm(f): "\(f | mean | r3) ± \(f | std | r3)";
            (map(select(.name | test("^barrier-.*-vanilla$"))) | map({key: (.name | sub("-vanilla$"; "")),
                value: .result.points[0].loss}) | from_entries) as $b
            | [.[] | select(.name | test("^barrier-.*-" + $m + "$"))] as $r
            | [$r[] | .result.points | map(.loss)] as $curves
            | ($curves | map(max - ((first + last) / 2))) as $lb
            | ($curves | map(map(exp)) | map(max - ((first + last) / 2))) as $pb
            | [$r[] | .result.points[0].loss - $b[.name | sub("-" + $m + "$"; "")]] as $moved
            | ($curves | map(.[length / 2 | floor] | exp)) as $mid
            | ($curves | map(map(exp) | (first + last) / 2)) as $ends
            | "| \($m) | \(pm($lb)) | \(pm($pb)) | \(pm($moved)) | \(pm($mid)) | \($ends | mean | r3) | \($r | map(.seconds) | mean | round) |"
        ' "$RES"
    done
}
if [ "${SUMMARY:-}" = only ]; then
    RES="$OUT/results.jsonl"
    summarize
    exit 0
fi

[ -f "$LLAMA_JAR" ] || { echo "missing llama bundle: $LLAMA_JAR (mvn -o -B -pl bundles/transfuse.arch.llama -am install)" >&2; exit 2; }
# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"
TRANSFUSE_HOME=$(mktemp -d)
export TRANSFUSE_HOME
trap 'rm -rf "$TRANSFUSE_HOME"' EXIT
mkdir -p "$TRANSFUSE_HOME/deploy"
cp "$LLAMA_JAR" "$TRANSFUSE_HOME/deploy/transfuse.arch.llama.jar"

# run NAME ARGS...: one command, retried when the deployed architecture was missing ("unknown architecture 'llama'",
# exit 2, nothing done: before one-shot commands waited for the launcher's start-level request for a deployed
# bundle, that request could stop it again; kept so that runs of either build are counted alike); records the
# command and its wall time, prints its JSON line.
run() {
    local name=$1 out t0 attempt
    shift
    t0=$(date +%s.%N)
    for attempt in $(seq 20); do
        if out=$(tf "$@" --json 2>> "$OUT/stderr.log" | tail -1) && ! jq -e 'has("error")' <<< "$out" > /dev/null; then
            break
        fi
        grep -q "unknown architecture 'llama'" <<< "$out" || { echo "$name failed: $out" >&2; exit 1; }
    done
    jq -e 'has("error") | not' <<< "$out" > /dev/null || { echo "$name failed: $out" >&2; exit 1; }
    jq -c --arg name "$name" --arg cmd "transfuse $*" --argjson attempts "$attempt" \
        --argjson seconds "$(echo "$(date +%s.%N) - $t0" | bc)" \
        '{name: $name, command: $cmd, seconds: $seconds, attempts: $attempts, result: .}' <<< "$out" >> "$RES"
    echo "$out"
}

start=$(date +%s)
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for s in $SEEDS; do
    run "train-s$s" train --arch llama --data "$TRAIN" --epochs "$EPOCHS" --seed "$s" --no-eval --out "$OUT/llama-s$s" \
        > /dev/null
done
set -- $SEEDS
seeds=("$@")
for ((i = 0; i < ${#seeds[@]}; i++)); do
    for ((j = i + 1; j < ${#seeds[@]}; j++)); do
        a=${seeds[$i]} b=${seeds[$j]}
        for m in $METHODS; do
            case $m in
                vanilla) args=(--method vanilla) ;;
                perm)    args=(--method perm --samples "$SAMPLES") ;;
                ot)      args=(--method ot --solver emd --samples "$SAMPLES") ;;
                ot-all)  args=(--method ot --solver emd --residual all --samples "$SAMPLES") ;;
            esac
            run "barrier-s$a-s$b-$m" barrier --models "$OUT/llama-s$a" "$OUT/llama-s$b" "${args[@]}" --data "$DATA" \
                --steps "$STEPS" --out "$OUT/curve-s$a-s$b-$m.json" > /dev/null
        done
    done
done
echo "end $(date -u +%FT%TZ), $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
summarize
