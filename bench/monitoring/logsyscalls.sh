#!/usr/bin/env bash
# System calls, context switches and CPU a request, logged against unlogged: the evidence behind bench/README.md's
# "made-up request ids" table. The server and models of logcost.sh (run that first: it trains the flights model);
# per model, after WARMUP s of wrk each, ROUNDS x DURATION s of wrk under `perf stat -p` (software events and syscall
# tracepoints only, which a VM without hardware counters still has).
# Usage: bash bench/monitoring/logsyscalls.sh     (FERRY=path/to/ferry, SERVE_ARGS="--inline-io", ROUNDS=2, DURATION=8, WARMUP=20)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-20}"
PORT="${PORT:-9266}"
FERRY="${FERRY:-$root/src/Ferry/bin/Release/net10.0/ferry}"
work="$root/bench/.work/logcost"
repo="$work/repo"
flights="$root/bench/.work/serving/flights"
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 1; }
[ -f "$repo/flights_logged/1/model.onnx" ] && [ -x "$FERRY" ] || { echo "run bench/monitoring/logcost.sh first (model repository and build)" >&2; exit 1; }
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

rm -rf "$work/home-syscalls"
Ferry__PredictionLog__ModelSampleRates__flights_logged=1 taskset -c 0 "$FERRY" serve --model-repository "$repo" --http-port "$PORT" \
  --grpc-port -1 --intra-op-threads 1 --log-sample-rate 0 --home "$work/home-syscalls" ${SERVE_ARGS:-} >"$work/ferry-syscalls.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do kill -0 "$server" 2>/dev/null || break; curl -sf -o /dev/null "http://127.0.0.1:$PORT/v2/health/ready" && break; sleep 0.1; done
kill -0 "$server" 2>/dev/null || { echo "the server exited (port $PORT in use?); see $work/ferry-syscalls.log" >&2; exit 1; }

wrk_run() { # MODEL SECONDS -> requests
  BODY_FILE="$flights/request.json" taskset -c 1 wrk -t1 -c64 -d"$2s" --timeout 5s -s bench/serving/post.lua \
    "http://127.0.0.1:$PORT/v2/models/$1/infer" | awk '/^BENCH/ { print $2 }'
}
cpu_ticks() { sed 's/.*) //' "/proc/$server/stat" | awk '{ print $12, $13 }'; }

events="raw_syscalls:sys_enter,context-switches,page-faults"
for call in read recvfrom sendto futex epoll_wait sched_yield madvise mprotect; do events="$events,syscalls:sys_enter_$call"; done
wrk_run flights_batched "$WARMUP" >/dev/null
wrk_run flights_logged "$WARMUP" >/dev/null
printf "%-16s %9s %9s %8s %9s %8s %8s %8s %8s %9s %8s %8s\n" model requests syscalls read recvfrom sendto futex ctxsw faults "cpu_us" user sys
for round in $(seq 1 "$ROUNDS"); do
  for model in flights_batched flights_logged; do
    taskset -c 1 perf stat -x, -e "$events" -p "$server" -o "$work/perf-stat.csv" -- sleep "$DURATION" &
    stat=$!
    before=$(cpu_ticks)
    n=$(wrk_run "$model" "$DURATION")
    wait "$stat"
    after=$(cpu_ticks)
    awk -F, -v model="$model" -v n="$n" -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" '
      $1 ~ /^[0-9]+$/ { count[$3] = $1 }
      END {
        split(before, b, " "); split(after, a, " "); us = 1e6 / hz / n
        printf "%-16s %9d %9.3f %8.4f %9.3f %8.3f %8.4f %8.3f %8.4f %9.1f %8.1f %8.1f\n", model, n,
          count["raw_syscalls:sys_enter"] / n, count["syscalls:sys_enter_read"] / n, count["syscalls:sys_enter_recvfrom"] / n,
          count["syscalls:sys_enter_sendto"] / n, count["syscalls:sys_enter_futex"] / n, count["context-switches"] / n,
          count["page-faults"] / n, (a[1] + a[2] - b[1] - b[2]) * us, (a[1] - b[1]) * us, (a[2] - b[2]) * us }' "$work/perf-stat.csv"
  done
done
echo "per request; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
