#!/usr/bin/env bash
# What logging 100 % of requests costs (issue #6, goal <= 5 %): one `ferry serve` on core 0 with the flights FastTree
# model twice, flights_batched (log off) and flights_logged (ModelSampleRates=1), wrk on core 1 (-t1 -c64).
# Interleaved pairs (off/on, on/off, ...) so that drift of the machine hits both sides alike; per run it records
# req/s, the server's CPU µs per request (/proc/PID/stat utime+stime) and its GCs per 100k requests (/metrics).
# Usage: bash bench/monitoring/logcost.sh     (SERVE_ARGS="--inline-io" adds serve options; PAIRS=8, DURATION=10 s a run, WARMUP=20 s per model; FERRY=path/to/ferry to
# measure another build, e.g. one of main made before a change; LOGGED_RATE=0 for an A/A control)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
PAIRS="${PAIRS:-8}"
DURATION="${DURATION:-10}"
# The server's core is saturated, so the JIT's tier-up competes with the requests: after 3 or 10 s of warm-up per model
# the first pairs still ran partly unoptimised code (50-100 µs a request against ~35 settled) and swung the medians.
WARMUP="${WARMUP:-20}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT="${PORT:-9266}"
work="$root/bench/.work/logcost"
flights="$root/bench/.work/serving/flights"
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ -z "${FERRY:-}" ]; then
  echo "building (Release)..." >&2
  dotnet build src/Ferry -c Release -v q -nologo >/dev/null
  FERRY="$root/src/Ferry/bin/Release/net10.0/ferry"
fi

# The model and request of bench/serving/run.sh, trained the same way when that script has not run yet.
if [ ! -f "$flights/model.onnx" ] || [ ! -f "$flights/request.json" ]; then
  bash scripts/fetch-assets.sh >/dev/null
  flights_json="$(find "$root/.cache/assets" -name flights-200k.json | head -1)"
  dotnet build bench/Ferry.Bench -c Release -v q -nologo >/dev/null
  dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" train-flights --data "$flights_json" --out "$flights" >&2
fi

repo="$work/repo"
rm -rf "$repo" "$work/home"
mkdir -p "$repo/flights_batched/1" "$repo/flights_logged/1"
cp "$flights/model.onnx" "$repo/flights_batched/1/"
cp "$flights/model.onnx" "$repo/flights_logged/1/"
echo '{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 0}}' > "$repo/flights_batched/config.json"
cp "$repo/flights_batched/config.json" "$repo/flights_logged/config.json"
# LOGGED_RATE=0 turns the log off for flights_logged too: an A/A control of two identical unlogged models.
export Ferry__PredictionLog__ModelSampleRates__flights_logged="${LOGGED_RATE:-1}"

taskset -c "$SERVER_CPU" "$FERRY" serve --model-repository "$repo" --http-port "$PORT" --grpc-port -1 --intra-op-threads 1 \
  --log-sample-rate 0 --home "$work/home" ${SERVE_ARGS:-} >"$work/ferry.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 1 600); do kill -0 "$server" 2>/dev/null || break; curl -sf -o /dev/null "http://127.0.0.1:$PORT/v2/health/ready" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/v2/health/ready" || { echo "the server did not start; see $work/ferry.log" >&2; exit 1; }
# Another program answering on the port (the bind failed) would be measured instead: make sure ours is alive.
kill -0 "$server" 2>/dev/null || { echo "the server exited (port $PORT in use?); see $work/ferry.log" >&2; exit 1; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
# "gen0 gen1 gen2 allocated-bytes": collections and bytes allocated so far, from the runtime's counters on /metrics (counts include the older generations'
# collections in some exporters; both sides are read the same way, so the comparison holds).
gc_counts() {
  curl -sf "http://127.0.0.1:$PORT/metrics" | awk '
    /^#/ { next }
    /gc_collections/ && /gen(eration)?="?(gen)?0"?/ { g0 = $NF }
    /gc_collections/ && /gen(eration)?="?(gen)?1"?/ { g1 = $NF }
    /gc_collections/ && /gen(eration)?="?(gen)?2"?/ { g2 = $NF }
    /^system_runtime_dotnet_gc_heap_total_allocated / { bytes = $NF }
    END { printf "%d %d %d %.0f\n", g0, g1, g2, bytes }'
}

wrk_run() { # MODEL SECONDS -> wrk's BENCH line
  BODY_FILE="$flights/request.json" taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$2s" --timeout 5s -s bench/serving/post.lua \
    "http://127.0.0.1:$PORT/v2/models/$1/infer" | grep '^BENCH'
}

results="$work/results.txt"
: > "$results"
# measure PAIR SIDE MODEL -> "pair side req/s cpu_us_per_request gen0 gen1 gen2 (per 100k requests) errors bytes_allocated_per_request"
measure() {
  local before after out g_before g_after
  g_before=$(gc_counts); before=$(cpu_ticks)
  out=$(wrk_run "$3" "$DURATION")
  after=$(cpu_ticks); g_after=$(gc_counts)
  awk -v pair="$1" -v side="$2" -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" -v gb="$g_before" -v ga="$g_after" '{
      split(gb, b, " "); split(ga, a, " "); n = $2; per = 100000 / n
      printf "%s %s %.0f %.1f %.1f %.1f %.1f %d %.0f\n", pair, side, n / ($6 / 1e6), ticks / hz * 1e6 / n,
        (a[1] - b[1]) * per, (a[2] - b[2]) * per, (a[3] - b[3]) * per, $5, (a[4] - b[4]) / n }' <<<"$out" | tee -a "$results" >&2
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
wrk_run flights_batched "$WARMUP" >/dev/null
wrk_run flights_logged "$WARMUP" >/dev/null
for p in $(seq 1 "$PAIRS"); do
  if [ $((p % 2)) = 1 ]; then
    measure "$p" off flights_batched; measure "$p" on flights_logged
  else
    measure "$p" on flights_logged; measure "$p" off flights_batched
  fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
dropped=$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^ferry_prediction_log_dropped/ { s += $NF } END { print s + 0 }')

python3 - "$results" "$load_after" "$dropped" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
pairs = {}
for pair, side, rps, cpu, g0, g1, g2, err, *alloc in rows:
    pairs.setdefault(int(pair), {})[side] = (float(rps), float(cpu), float(g0), float(g1), float(g2), int(err), float(alloc[0]) if alloc else float("nan"))
print("| pair | first | off req/s | on req/s | ratio | off CPU µs/req | on CPU µs/req | ratio | off GC 0/1/2 per 100k | on GC 0/1/2 per 100k | off B/req | on B/req |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
ratios, cpu_ratios = [], []
for p in sorted(pairs):
    off, on = pairs[p]["off"], pairs[p]["on"]
    ratios.append(on[0] / off[0]); cpu_ratios.append(on[1] / off[1])
    print(f"| {p} | {'off' if p % 2 else 'on'} | {off[0]:.0f} | {on[0]:.0f} | {on[0]/off[0]:.3f} | {off[1]:.1f} | {on[1]:.1f} | {on[1]/off[1]:.3f} "
          f"| {off[2]:.1f}/{off[3]:.1f}/{off[4]:.1f} | {on[2]:.1f}/{on[3]:.1f}/{on[4]:.1f} | {off[6]:.0f} | {on[6]:.0f} |")
med = lambda side, i: statistics.median(pairs[p][side][i] for p in pairs)
print(f"| median | | {med('off',0):.0f} | {med('on',0):.0f} | {statistics.median(ratios):.3f} | {med('off',1):.1f} | {med('on',1):.1f} "
      f"| {statistics.median(cpu_ratios):.3f} | {med('off',2):.1f}/{med('off',3):.1f}/{med('off',4):.1f} | {med('on',2):.1f}/{med('on',3):.1f}/{med('on',4):.1f} "
      f"| {med('off',6):.0f} | {med('on',6):.0f} |")
errors = sum(v[5] for p in pairs.values() for v in p.values())
print(f"logged/unlogged: throughput {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}), "
      f"CPU per request {statistics.median(cpu_ratios):.3f}; goal: throughput >= 0.95. "
      f"errors {errors}, log drops {sys.argv[3]}, load average after {sys.argv[2]}")
EOF
