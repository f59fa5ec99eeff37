#!/usr/bin/env bash
# The whole benchmark suite of issue 4, side by side in one run: Virgo's moved threads (embedded IPC and UDP loopback)
# beside raw Aeron, JDK RMI, Hazelcast and local threads; the scale of a CPU-bound program on 1 and 2 nodes; the
# agent's overhead on start-up and on threads it does not move; the shared heap's hits and misses between member JVMs
# beside raw Aeron round trips of 8 B and 4 KiB and Hazelcast's IMap. About 5.5 minutes on a quiet 2-core machine,
# 10.5 under load (the shared heap alone, PARTS=heap: 1.5 to 3).
#
#   benchmarks/run-all.sh
#   PARTS=heap benchmarks/run-all.sh                   only the shared heap (and the report)
#   PARTS=objects benchmarks/run-all.sh                objects shared by moved threads (issue 9; 3 to 6 minutes)
#
# Environment:
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java   the JVM for every process (default: java on the PATH)
#   IDLE=yielding                                      idle strategy of Virgo and of the raw Aeron peer (default: backoff)
#   OUT=DIR                                            where results go (default: benchmarks/results)
#   PARTS=threads|heap|objects|all                     which part to run (default: all)
#   BUILD=1                                            rebuild the jars even when they exist
#
# Writes OUT/results.md, OUT/chart.svg, OUT/raw/*.csv (one file per benchmark, each row with JDK, CPU, cores, idle
# strategy, channel and load) and OUT/logs/*.log. Every process it starts is bounded by timeout(1) and stopped on
# exit, failure or Ctrl-C; the Aeron directories it makes (/dev/shm/virgo-bench-PID-*) are removed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA:-java}"
idle="${IDLE:-backoff}"
agent_jar="$root/agent/target/virgo.jar"
bench_jar="$root/benchmarks/target/virgo-benchmarks.jar"
# The shared-heap harnesses drive Virgo's dsm members themselves, with no agent: their own classpath (see the pom).
heap_jar="$root/benchmarks/target/virgo-heap-benchmarks.jar"
parts="${PARTS:-all}"
results="${OUT:-$root/benchmarks/results}"
raw="$results/raw"
logs="$results/logs"
shm_prefix="/dev/shm/virgo-bench-$$"
aeron_flags=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED)
hazelcast_flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.management/sun.management=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)

case "$parts" in
    all|threads|heap|objects) ;;
    *) echo "PARTS=$parts: expected all, threads, heap or objects" >&2; exit 2 ;;
esac

if [[ "${BUILD:-0}" == "1" || ! -f "$agent_jar" || ! -f "$bench_jar" || ! -f "$heap_jar" ]]; then
    (cd "$root" && mvn -q -B -pl benchmarks -am package -DskipTests) || { echo "build failed" >&2; exit 1; }
fi

rm -rf "$raw" "$logs"
mkdir -p "$raw" "$logs"

background_pids=()
failed=()

# Stops one background process (a timeout(1) wrapping a JVM): TERM, up to 10 s, then KILL it and its children.
stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.1
    done
    pkill -KILL -P "$pid" 2>/dev/null
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

cleanup() {
    for pid in "${background_pids[@]}"; do
        stop_pid "$pid"
    done
    rm -rf "$shm_prefix"*
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# step NAME LIMIT_S COMMAND...: runs in the foreground, bounded, output to logs/NAME.log.
step() {
    local name=$1 limit=$2
    shift 2
    local began=$SECONDS
    printf '== %-22s' "$name"
    if timeout --kill-after=10 "$limit" "$@" > "$logs/$name.log" 2>&1; then
        echo " ok ($((SECONDS - began)) s)"
    else
        local rc=$?
        echo " FAILED (exit $rc after $((SECONDS - began)) s); last lines of $logs/$name.log:"
        tail -n 15 "$logs/$name.log" | sed 's/^/   | /'
        failed+=("$name")
    fi
}

# serve NAME LIMIT_S PATTERN COMMAND...: starts a server in the background and waits up to 60 s for PATTERN in its log.
serve() {
    local name=$1 limit=$2 pattern=$3
    shift 3
    timeout --kill-after=5 "$limit" "$@" > "$logs/$name.log" 2>&1 &
    server_pid=$!
    background_pids+=("$server_pid")
    for _ in $(seq 600); do
        grep -q "$pattern" "$logs/$name.log" 2>/dev/null && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "== $name did not become ready; last lines of $logs/$name.log:"
    tail -n 15 "$logs/$name.log" | sed 's/^/   | /'
    failed+=("$name")
    stop_pid "$server_pid"
    return 1
}

# A server whose client has finished leaves by itself; give it 15 s, then stop it.
finish() {
    local pid=$1
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.1
    done
    stop_pid "$pid"
}

free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        if [[ -z "$(ss -Htaun "sport = :$port" 2>/dev/null)" ]]; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

began=$SECONDS
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(
        git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
    echo "command: benchmarks/run-all.sh (JAVA=$java, IDLE=$idle, PARTS=$parts)"
    echo "OS: $(uname -srm); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
    echo "1-minute load average at the start: $(cut -d' ' -f1 /proc/loadavg)"
} > "$raw/suite.txt"
cat "$raw/suite.txt"

cp="$bench_jar"

# aeron_ping_pong NAME ipc|udp [ARGS...]: the raw Aeron round trip, a pong JVM in the background and the ping measuring;
# ARGS go to the ping (bytes=, warmup=, iterations=); the pong echoes whatever it gets.
aeron_ping_pong() {
    local name=$1 channel=$2
    shift 2
    local ports=()
    if [[ "$channel" == udp ]]; then
        local ping_port pong_port
        ping_port=$(free_port) && pong_port=$(free_port) || return 1
        ports=(pingPort="$ping_port" pongPort="$pong_port")
    fi
    if serve "$name-pong" 150 READY "$java" "${aeron_flags[@]}" -cp "$cp" dev.virgo.benchmarks.AeronPingPong \
            role=pong channel="$channel" dir="$shm_prefix-$name" idle="$idle" "${ports[@]}" timeoutS=140; then
        step "$name" 140 "$java" "${aeron_flags[@]}" -cp "$cp" dev.virgo.benchmarks.AeronPingPong role=ping \
            channel="$channel" dir="$shm_prefix-$name" idle="$idle" "${ports[@]}" "$@" out="$raw/$name.csv"
        finish "$server_pid"
    fi
}

# Issue 4's first part: moved threads beside their peers, scale, agent overhead.
threads_part() {
    # 1. Moved threads on the embedded default: 2 local node JVMs sharing the origin's media driver (IPC).
    step start-join-ipc 200 "$java" "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.StartJoinLatency\$Moved*,idle=$idle" \
        -cp "$cp" dev.virgo.benchmarks.StartJoinLatency out="$raw/start-join-ipc"
    step pipelined-ipc 150 "$java" "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.PipelinedThreads\$Moved*,idle=$idle" \
        -cp "$cp" dev.virgo.benchmarks.PipelinedThreads out="$raw/pipelined-ipc.csv"

    # 2. Moved threads between JVMs over UDP loopback: a standalone node with its own media driver.
    if port=$(free_port) && serve virgo-node 500 "ready on" "$java" -jar "$agent_jar" node --bind "127.0.0.1:$port" --idle "$idle"; then
        node_pid=$server_pid
        step start-join-udp 200 "$java" \
            "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.StartJoinLatency\$Moved*,idle=$idle,nodes=127.0.0.1:$port" \
            -cp "$cp" dev.virgo.benchmarks.StartJoinLatency out="$raw/start-join-udp"
        step pipelined-udp 150 "$java" \
            "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.PipelinedThreads\$Moved*,idle=$idle,nodes=127.0.0.1:$port" \
            -cp "$cp" dev.virgo.benchmarks.PipelinedThreads out="$raw/pipelined-udp.csv"
        stop_pid "$node_pid"
    fi

    # 3. Raw Aeron ping-pong, 32 B, same channel kinds and idle strategy.
    aeron_ping_pong aeron-ipc ipc
    aeron_ping_pong aeron-udp udp

    # 4. JDK RMI no-op call; the server JVM holds its own registry.
    if port=$(free_port) && serve rmi-server 130 READY "$java" -Djava.rmi.server.hostname=127.0.0.1 -cp "$cp" \
            dev.virgo.benchmarks.RmiLatency role=server port="$port" timeoutS=120; then
        step rmi 120 "$java" -Djava.rmi.server.hostname=127.0.0.1 -cp "$cp" dev.virgo.benchmarks.RmiLatency \
            role=client port="$port" out="$raw/rmi.csv"
        finish "$server_pid"
    fi

    # 5. Hazelcast executor between two members.
    if port=$(free_port) && peer=$(free_port) && serve hazelcast-member 160 READY "$java" "${hazelcast_flags[@]}" -cp "$cp" \
            dev.virgo.benchmarks.HazelcastExecutorLatency role=server port="$port" peer="$peer" cluster="virgo-bench-$$" \
            timeoutS=150; then
        step hazelcast 150 "$java" "${hazelcast_flags[@]}" -cp "$cp" dev.virgo.benchmarks.HazelcastExecutorLatency \
            role=client port="$peer" peer="$port" cluster="virgo-bench-$$" out="$raw/hazelcast.csv"
        finish "$server_pid"
    fi

    # 6. Scale: the same CPU-bound program with plain threads, and with its workers moved to 1 and 2 local nodes;
    #    plain and moved runs of one split back to back, so the machine's load falls on both alike.
    scale_plain() {
        step "scale-plain-$1" 120 "$java" -cp "$cp" dev.virgo.benchmarks.CpuScale threads="$1" rounds=5 variant="plain" \
            out="$raw/scale-plain-$1.csv"
    }
    scale_virgo() {
        step "scale-virgo$1-$2" 150 "$java" \
            "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.CpuScale\$Worker,idle=$idle,localNodes=$1" \
            -cp "$cp" dev.virgo.benchmarks.CpuScale threads="$2" rounds=5 variant="Virgo localNodes=$1" \
            out="$raw/scale-virgo$1-$2.csv"
    }
    scale_plain 1
    for threads in 2 4; do
        scale_plain "$threads"
        scale_virgo 1 "$threads"
        scale_virgo 2 "$threads"
    done

    # 7. Agent overhead: start-up with and without the agent, and JMH Thread.start of a thread that is not moved.
    step agent-overhead 280 "$java" -cp "$cp" dev.virgo.benchmarks.AgentOverhead agent="$agent_jar" \
        out="$raw/agent-overhead.csv"
}

# Issue 4's shared heap (dsm), run from its own jar with no agent: a hit under JMH beside a long[] and an UnsafeBuffer;
# then, per channel, the raw Aeron round trip of 8 B and of 4 KiB (the page size) right beside the misses between
# member JVMs (read miss; write miss with 0, 1 and 3 sharers, which takes 5 JVMs); then Hazelcast's IMap beside them.
heap_part() {
    step heap-hit 150 "$java" "${aeron_flags[@]}" -cp "$heap_jar" dev.virgo.benchmarks.SharedHeapHitBenchmark \
        aeronDir="$shm_prefix-hit" warmup=3 iterations=4 out="$raw/heap-hit.csv"
    local channel bytes
    for channel in ipc udp; do
        for bytes in 8 4096; do
            aeron_ping_pong "aeron-$channel-$bytes" "$channel" bytes="$bytes" warmup=10000 iterations=50000
        done
        step "heap-$channel" 200 "$java" "${aeron_flags[@]}" -cp "$heap_jar" dev.virgo.benchmarks.SharedHeapLatency \
            channel="$channel" dir="$shm_prefix-heap-$channel" idle="$idle" warmup=1000 iterations=5000 \
            out="$raw/heap-$channel.csv" timeoutS=190
    done
    local port peer
    if port=$(free_port) && peer=$(free_port) && serve hazelcast-map-member 160 READY "$java" "${hazelcast_flags[@]}" \
            -cp "$cp" dev.virgo.benchmarks.HazelcastMapLatency role=server port="$port" peer="$peer" \
            cluster="virgo-bench-map-$$" timeoutS=150; then
        step hazelcast-map 150 "$java" "${hazelcast_flags[@]}" -cp "$cp" dev.virgo.benchmarks.HazelcastMapLatency \
            role=client port="$peer" peer="$port" cluster="virgo-bench-map-$$" out="$raw/hazelcast-map.csv"
        finish "$server_pid"
    fi
}

# Issue 9: synchronization between moved threads that share the program's objects (a monitor and a volatile handed
# between two nodes, an AtomicInteger increment, a CyclicBarrier round, a private compute loop, re-entry, a stencil with
# a barrier per sweep), each beside the same code on local threads in the same run, right after the raw Aeron IPC round
# trip it rides on. SharedObjectsLatency prints its table to logs/shared-objects.log (the report does not read it).
objects_part() {
    aeron_ping_pong objects-aeron-ipc ipc bytes=32 warmup=5000 iterations=20000
    step shared-objects 600 "$java" \
        "-javaagent:$agent_jar=offload=dev.virgo.benchmarks.SharedObjectsLatency\$Moved*,idle=$idle" \
        -cp "$cp" dev.virgo.benchmarks.SharedObjectsLatency iterations=1000 warmup=100 cells=16384 sweeps=20 timeoutS=560
    cat "$logs/shared-objects.log"
}

if [[ "$parts" == all || "$parts" == threads ]]; then
    threads_part
fi
if [[ "$parts" == all || "$parts" == heap ]]; then
    heap_part
fi
if [[ "$parts" == all || "$parts" == objects ]]; then
    objects_part
fi

{
    echo "1-minute load average at the end: $(cut -d' ' -f1 /proc/loadavg); suite wall time $((SECONDS - began)) s"
    if ((${#failed[@]})); then echo "FAILED steps (see logs/): ${failed[*]}"; fi
} >> "$raw/suite.txt"

step report 60 "$java" -cp "$cp" dev.virgo.benchmarks.SuiteReport raw="$raw" out="$results"
cat "$logs/report.log"
echo "suite wall time: $((SECONDS - began)) s; results: $results/results.md, chart: $results/chart.svg"
if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
