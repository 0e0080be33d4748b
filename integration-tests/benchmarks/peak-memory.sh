#!/usr/bin/env bash
# Peak memory of each solver at the benchmark sizes, one fresh JVM per solve.
# Usage: integration-tests/benchmarks/peak-memory.sh   (after: mvn -pl integration-tests/benchmarks -am package)
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
[ -f "$JAR" ] || { echo "build first: mvn -pl integration-tests/benchmarks -am package" >&2; exit 2; }
run() {
  java -Xmx6g -cp "$JAR" transfuse.benchmarks.PeakMemory "$@" 2>/dev/null | grep ' n='
}
run emd 1024
run emd 2048
run lap 768
run lap 3072
run sinkhorn 3072 20
run sinkhorn-log 3072 20
run sinkhorn-stabilized 3072 20
run sinkhorn-epsilon 3072 20
