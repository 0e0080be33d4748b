#!/usr/bin/env bash
# Speed and memory of `grow` (docs/sws.md, "Speed and memory"): a ViT-B/16-shaped 5-stage learngene
# (3,3,4,3,3; weights from `grow --init random`, since only shapes matter here) grown to depth 12.
# Prints the job's own seconds, the process's wall time and peak RSS, beside the RSS of `inspect`
# (the JVM and OSGi runtime alone) and the sizes of the learngene and the descendant.
# Usage: experiments/sws-grow-speed.sh [WORK_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK=${1:-$(mktemp -d)}
JAR="$ROOT/distributions/transfuse/target/transfuse.jar"
[ -f "$JAR" ] || "$ROOT/transfuse" help > /dev/null
T=(java -XX:+UseSerialGC --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED -jar "$JAR")
mkdir -p "$WORK/vitb-config"
cat > "$WORK/vitb-config/config.json" <<'JSON'
{"architectures": ["ViTForImageClassification"], "model_type": "vit", "hidden_size": 768, "num_hidden_layers": 5,
 "num_attention_heads": 12, "intermediate_size": 3072, "hidden_act": "gelu", "hidden_dropout_prob": 0.0,
 "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02, "layer_norm_eps": 1e-12, "image_size": 224,
 "patch_size": 16, "num_channels": 3, "qkv_bias": true,
 "id2label": {"0": "a", "1": "b"}, "label2id": {"a": 0, "b": 1}}
JSON
rm -rf "$WORK/lg" "$WORK/vitb12"
"${T[@]}" grow --from "$WORK/vitb-config" --init random --depth 5 --out "$WORK/lg" > /dev/null 2>&1
python3 - "$WORK/lg/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["transfuse_learngene"] = {"stages": [3, 3, 4, 3, 3], "aux_depth": 16, "ancestor": "none", "alpha": 1.0,
                            "tau": 1.0, "kd": "soft", "steps": 0, "losses": []}
json.dump(c, open(sys.argv[1], "w"))
PY
rss() { grep -E 'Maximum resident' | awk '{printf "%.0f MiB", $NF / 1024}'; }
echo "runtime alone (inspect): $( { /usr/bin/time -v "${T[@]}" inspect "$WORK/lg" > /dev/null; } 2>&1 | rss)"
OUT=$( { /usr/bin/time -v "${T[@]}" grow --learngene "$WORK/lg" --depth 12 --out "$WORK/vitb12" --json; } 2>&1)
echo "grow depth 12: $(echo "$OUT" | grep '^{' )"
echo "  wall $(echo "$OUT" | grep Elapsed | awk '{print $NF}'), peak RSS $(echo "$OUT" | rss)"
echo "learngene $(du -m "$WORK/lg/model.safetensors" | cut -f1) MiB, descendant $(du -m "$WORK/vitb12/model.safetensors" | cut -f1) MiB"
