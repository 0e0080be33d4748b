#!/usr/bin/env bash
# The server's cost against the command line, on this machine: time from `transfuse serve` to a
# healthy answer, the idle server's resident memory, and the wall time of one activation-based OT
# fuse of two demo ViTs as a CLI process and as a server job (submit over HTTP until succeeded),
# alternated ROUNDS times. Usage: experiments/server-overhead.sh PARENT_A PARENT_B [ROUNDS]
# (the demo's cached parents: ~/.transfuse/demo/vit-fashion-mnist-e4-seed1 and -seed2).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A=$1; B=$2; ROUNDS=${3:-3}
JAR="$ROOT/distributions/transfuse/target/transfuse.jar"
[ -f "$JAR" ] || "$ROOT/transfuse" help > /dev/null
JAVA=(java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED)
CLI_GC=(-XX:+UseSerialGC -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -Xmn64m)   # the launcher's one-shot flags
HOME_DIR=$(mktemp -d); trap 'kill $SERVER 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HOME_DIR/models"; cp -r "$A" "$HOME_DIR/models/a"; cp -r "$B" "$HOME_DIR/models/b"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export OMP_WAIT_POLICY=PASSIVE

t0=$(date +%s.%N)
TRANSFUSE_HOME="$HOME_DIR" "${JAVA[@]}" -jar "$JAR" serve --port "$PORT" > "$HOME_DIR/serve.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null; do sleep 0.05; done
t1=$(date +%s.%N)
sleep 5
RSS=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
TOKEN=$(head -1 "$HOME_DIR/token")
printf 'server healthy after %.2f s; idle RSS %d MB\n' "$(echo "$t1 - $t0" | bc)" $((RSS / 1024))

cli_fuse() {
  local s e; s=$(date +%s.%N)
  TRANSFUSE_HOME="$HOME_DIR" "${JAVA[@]}" "${CLI_GC[@]}" -jar "$JAR" fuse --models "$HOME_DIR/models/a" \
    "$HOME_DIR/models/b" --method ot --data fashion-mnist --samples 500 --out "$HOME_DIR/cli-out" > /dev/null 2>&1
  e=$(date +%s.%N); rm -rf "$HOME_DIR/cli-out"; echo "$e - $s" | bc
}
server_fuse() {
  local s e id state; s=$(date +%s.%N)
  id=$(curl -sf -H "Authorization: Bearer $TOKEN" -X POST "http://127.0.0.1:$PORT/api/jobs" \
    -d '{"kind":"fuse","spec":{"models":["a","b"],"method":"ot","data":"fashion-mnist","samples":500}}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    state=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/jobs/$id" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case $state in succeeded) break;; failed|cancelled) echo "job $id $state" >&2; exit 1;; esac
    sleep 0.1
  done
  e=$(date +%s.%N); echo "$e - $s" | bc
}

printf '%-6s %-12s %-12s\n' round "cli (s)" "server (s)"
for r in $(seq 1 "$ROUNDS"); do
  c=$(cli_fuse); s=$(server_fuse)
  printf '%-6s %-12.2f %-12.2f\n' "$r" "$c" "$s"
done
printf 'server RSS after the fuses: %d MB\n' $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 ))
