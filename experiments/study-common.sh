# Sourced by the study scripts in this folder (seed-study, hetero-study, bert-barrier-study, probe-study, ot-residual-study, ot-claims-study, sws-full-study, sws-bert-study).
# Needs JAR and OUT set. Runs the distribution jar the way ./transfuse does (passive OpenMP waiting, the
# launcher's one-shot GC flags, quiet logging) and starts OUT/results.jsonl afresh.

# tf ARGS...: one transfuse command; its stderr is appended to $TF_LOG when that is set.
tf() {
    local cmd=(java -XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -Xmn64m
        --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
        -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -jar "$JAR" "$@")
    if [ -n "${TF_LOG:-}" ]; then
        OMP_WAIT_POLICY=PASSIVE "${cmd[@]}" 2>> "$TF_LOG"
    else
        OMP_WAIT_POLICY=PASSIVE "${cmd[@]}"
    fi
}

# record KIND NAME JSON: appends {kind, name} + JSON as one line to $RES.
record() {
    jq -c --arg kind "$1" --arg name "$2" '{kind: $kind, name: $name} + .' <<< "$3" >> "$RES"
}

# keep NAME ARGS...: one transfuse command (NAME may hold a / : a subfolder) with --json unless OUT/json/NAME.json exists (so a study
# continues where an interrupted run stopped); the result goes there, with its wall time, only when
# the command succeeds, and a one-line summary of KEYS (a jq object, default the accuracy) is printed.
keep() {
    local name=$1; shift
    [ -f "$OUT/json/$name.json" ] && return 0
    mkdir -p "$(dirname "$OUT/json/$name")" "$(dirname "$OUT/logs/$name")"
    local start json wall
    start=$(date +%s.%N)
    json=$(TF_LOG="$OUT/logs/$name.log" tf "$@" --json | tail -1)
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    jq -c --argjson wall "$wall" '. + {wall_seconds: $wall}' <<< "$json" > "$OUT/json/$name.json.tmp"
    mv "$OUT/json/$name.json.tmp" "$OUT/json/$name.json"
    local keys='{test_accuracy, test_loss, seconds, wall_seconds}'
    echo "$(date +%T) $name: $(jq -c "${KEYS:-$keys}" "$OUT/json/$name.json")"
}

[ -f "$JAR" ] || { echo "missing jar: $JAR" >&2; exit 2; }
mkdir -p "$OUT"
RES="$OUT/results.jsonl"
: > "$RES"
