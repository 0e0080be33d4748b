#!/usr/bin/env bash
# Performance evidence of the fusion engine, outside OSGi (docs/fusion.md, docs/results.md):
#   bench-fusion.sh vitb [DIR]            weights-based ot/sinkhorn fuse of two random ViT-B/16 checkpoints
#   bench-fusion.sh acts A B [SAMPLES]    activation-based ot/sinkhorn fuse of two model dirs on fashion-mnist
# Prints the per-space time table, wall time and peak RSS (VmHWM, from inside and from /usr/bin/time).
# The heap is capped (BENCH_HEAP, default 320m; 256m runs out) to show the memory bound, with the serial
# collector (BENCH_GC, default -XX:+UseSerialGC; empty for G1): G1 puts each 72 MiB alignment matrix in contiguous "humongous" regions that its
# full GC does not move, so it ran out at 320-384m with half the heap free; serial compaction does not.
set -euo pipefail
# FusionBench is a test class of the fusion bundle: build and run it from there.
FUSION_BUNDLE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../bundles/transfuse.fusion" && pwd)"
cd "$FUSION_BUNDLE"
CP_FILE=target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
fi
[ -d target/test-classes/transfuse/fusion/bench ] || mvn -q -o test-compile >&2
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
JAVA=(java -Xmx${BENCH_HEAP:-320m} ${BENCH_GC--XX:+UseSerialGC} --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dai.djl.offline=true -cp "$CP" transfuse.fusion.bench.FusionBench)
case "${1:-}" in
  vitb)
    DIR="${2:-${TMPDIR:-/tmp}/transfuse-vitb}"
    "${JAVA[@]}" gen "$DIR"
    /usr/bin/time -f "time: %e s wall, %M KB max RSS" "${JAVA[@]}" fuse "$DIR/fused" "$DIR/a" "$DIR/b" \
      method=ot solver=sinkhorn align=weights
    ;;
  acts)
    /usr/bin/time -f "time: %e s wall, %M KB max RSS" "${JAVA[@]}" fuse "${TMPDIR:-/tmp}/transfuse-acts-fused" "$2" "$3" \
      method=ot solver=sinkhorn data=fashion-mnist samples="${4:-500}"
    ;;
  *) echo "usage: bench-fusion.sh vitb [DIR] | acts A B [SAMPLES]" >&2; exit 2 ;;
esac
