#!/usr/bin/env bash
# Start->join latency of an empty moved thread beside a local one (dev.virgo.benchmarks.StartJoinLatency).
#
#   benchmarks/run-start-join.sh [name=value ...]          harness arguments, e.g. warmup=2000 iterations=10000
#
# Environment:
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java        the JVM to run (default: java on the PATH)
#   IDLE=yielding                                           the agent's idle strategy (default: backoff)
#   VIRGO_OPTIONS=localNodes=1                              more agent options, comma-separated
#   BUILD=1                                                 rebuild the jars even when they exist
#
# Builds agent/target/virgo.jar and benchmarks/target/virgo-benchmarks.jar with Maven when they are missing.
# Results are printed and written to benchmarks/target/start-join-jdkN-IDLE.{txt,csv} (or out=PREFIX).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA:-java}"
idle="${IDLE:-backoff}"
agent_jar="$root/agent/target/virgo.jar"
bench_jar="$root/benchmarks/target/virgo-benchmarks.jar"

if [[ "${BUILD:-0}" == "1" || ! -f "$agent_jar" || ! -f "$bench_jar" ]]; then
    (cd "$root" && mvn -q -B -pl benchmarks -am package -DskipTests)
fi

options="offload=dev.virgo.benchmarks.StartJoinLatency\$Moved*,idle=$idle"
if [[ -n "${VIRGO_OPTIONS:-}" ]]; then
    options="$options,$VIRGO_OPTIONS"
fi

# The harness stops itself after timeoutS (170 s by default); timeout(1) is the backstop.
exec timeout --kill-after=10 200 "$java" "-javaagent:$agent_jar=$options" -cp "$bench_jar" \
    dev.virgo.benchmarks.StartJoinLatency "$@"
