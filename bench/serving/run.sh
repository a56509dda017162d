#!/usr/bin/env bash
# Ferry's serving benchmark, one command: builds, prepares the models, runs every row with wrk on 127.0.0.1
# (server on core 0, load generator on core 1) and prints one table with each row's ratio to its reference.
# Usage: bash bench/serving/run.sh            (DURATION=10 seconds a row by default; DURATION=5 for a quick look)
#        ONLY='classifier|ceiling-binary' bash bench/serving/run.sh   (only the rows whose names match the regex)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
DURATION="${DURATION:-10}"
work="$root/bench/.work/serving"
mkdir -p "$work"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT_FERRY=9200 PORT_CEILING=9300 PORT_PEER=9400
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# A server left running on one of the ports would answer in place of the one started here (and the row would read
# the CPU time of a process that is not serving): refuse to start.
for port in $PORT_FERRY $PORT_CEILING $PORT_PEER; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (a server left from an earlier run?): stop it first" >&2
    exit 1
  fi
done
bash scripts/fetch-assets.sh >/dev/null
assets="$root/.cache/assets"
flights_json="$(find "$assets" -name flights-200k.json | head -1)"
classifier="$(find "$assets" -name 'ch_ppocr_mobile_v2.0_cls_infer.onnx' | head -1)"

echo "building (Release)..." >&2
dotnet build src/Ferry -c Release -v q -nologo >/dev/null
dotnet build bench/Ferry.Bench -c Release -v q -nologo >/dev/null
(cd bench/node-peer && npm install --no-audit --no-fund --silent >/dev/null)
ferry="$root/src/Ferry/bin/Release/net10.0/ferry"
tool() { dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" "$@"; }

# Models: the FastTree model served without and with dynamic batching, and the PaddleOCR classifier.
[ -f "$work/flights/model.onnx" ] || tool train-flights --data "$flights_json" --out "$work/flights" >&2
tool image-request --out "$work/cls" --shape 1,3,48,192
repo="$work/repo"
rm -rf "$repo"
mkdir -p "$repo/flights/1" "$repo/flights_batched/1" "$repo/flights_logged/1" "$repo/classifier/1"
cp "$work/flights/model.onnx" "$repo/flights/1/"
cp "$work/flights/model.onnx" "$repo/flights_batched/1/"
cp "$work/flights/model.onnx" "$repo/flights_logged/1/"
cp "$classifier" "$repo/classifier/1/model.onnx"
echo '{"max_batch_size": 64}' > "$repo/flights/config.json"
echo '{"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 0}}' > "$repo/flights_batched/config.json"
cp "$repo/flights_batched/config.json" "$repo/flights_logged/config.json"
# The serving rows measure serving alone (prediction log off); flights_logged is the same model with every
# request written to the prediction log, to show what logging costs.
export Ferry__PredictionLog__ModelSampleRates__flights_logged=1
log_off=(--log-sample-rate 0 --home "$work/home")
# INLINE_IO=1: Ferry with --inline-io, and the ceiling with the same transport setting (like for like).
io_flag=()
[ "${INLINE_IO:-0}" = 1 ] && io_flag=(--inline-io)

wait_http() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
wait_post() { for _ in $(seq 1 300); do curl -sf -o /dev/null -X POST "$1" -d @"$2" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# CPU time a process has used so far, in clock ticks: "user system".
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }

# run NAME URL BODY HEADER_LENGTH CONCURRENCY PID
#   -> "name|c|requests/s|p50_us|p99_us|errors|cpu_us_per_request|kernel_cpu_us_per_request"
# The server's CPU time per request is measured too: on a shared, noisy machine it moves far less than
# throughput does, and on a dedicated core throughput is its inverse. Its kernel share (system time: the TCP
# work of loopback, both ways, and the wake-ups) is the part no server code removes.
run() {
  local url="$2" body="$3" header="${4:-}" conc="$5" pid="$6" out before after
  before=$(cpu_ticks "$pid")
  out=$(BODY_FILE="$body" HEADER_LENGTH="$header" CONTENT_TYPE="$([ -n "$header" ] && echo application/octet-stream || echo application/json)" \
    taskset -c "$LOAD_CPU" wrk -t1 -c"$conc" -d"${DURATION}s" --timeout 5s -s bench/serving/post.lua "$url" | grep '^BENCH')
  after=$(cpu_ticks "$pid")
  # BENCH requests p50(us) p99(us) errors duration(us)
  read -r user0 sys0 <<<"$before"
  read -r user1 sys1 <<<"$after"
  awk -v name="$1" -v c="$conc" -v ticks="$((user1 + sys1 - user0 - sys0))" -v sys="$((sys1 - sys0))" -v hz="$(getconf CLK_TCK)" \
    '{ printf "%s|%s|%.0f|%d|%d|%d|%.1f|%.1f\n", name, c, $2 / ($6 / 1e6), $3, $4, $5, ticks / hz * 1e6 / $2, sys / hz * 1e6 / $2 }' <<<"$out"
}

# An unrecorded run: URL BODY HEADER_LENGTH CONCURRENCY SECONDS.
warm() {
  BODY_FILE="$2" HEADER_LENGTH="${3:-}" CONTENT_TYPE="$([ -n "${3:-}" ] && echo application/octet-stream || echo application/json)" \
    taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"$5s" -s bench/serving/post.lua "$1" >/dev/null
}

# Warms a server until its JIT has settled: rounds of every URL it serves, each at the concurrencies its rows use,
# until the JIT took less than 1 % of a round, at most WARM_ROUNDS (12) rounds. A .NET server compiles thousands
# of methods, first quickly, then at tier 1 as they get hot (with tiered PGO, twice); measured before that ends, a
# row shows the JIT's work, not the server's (10-s warm-ups left Ferry 30-60 % below its steady rate). A trickle
# goes on for minutes (code that runs every few seconds: timers, log flushes, scrapes reaching tier 1), at a
# negligible cost. JIT_MS prints the process's compilation time so far in ms; each further argument is
# "URL BODY HEADER CONCURRENCIES".
settle() {
  local label="$1" jit_ms="$2" before after round=0 slices=0 target url body header concs c
  shift 2
  for target in "$@"; do read -r url body header concs <<<"$target"; slices=$((slices + $(wc -w <<<"${concs//,/ }"))); done
  before=$(eval "$jit_ms")
  while :; do
    round=$((round + 1))
    for target in "$@"; do
      read -r url body header concs <<<"$target"
      [ "$header" = "-" ] && header=""
      for c in ${concs//,/ }; do warm "$url" "$body" "$header" "$c" "${WARM_SLICE:-3}"; done
    done
    after=$(eval "$jit_ms")
    echo "  warming $label: round $round, JIT $((after - before)) ms of $((slices * ${WARM_SLICE:-3})) s" >&2
    [ $((after - before)) -lt $((slices * ${WARM_SLICE:-3} * 10)) ] || [ "$round" -ge "${WARM_ROUNDS:-12}" ] && break
    before=$after
  done
}

# Warms a server that has no JIT count (Node) for SECONDS at each concurrency: "URL BODY HEADER CONCURRENCIES".
warm_for() {
  local seconds="$1" url body header concs
  read -r url body header concs <<<"$2"
  [ "$header" = "-" ] && header=""
  for c in ${concs//,/ }; do warm "$url" "$body" "$header" "$c" "$seconds"; done
}

results="$work/results.txt"
: > "$results"
ROUNDS="${ROUNDS:-3}"

# Every server is started first and warmed up until its JIT has settled (settle, above). Then every
# row runs once per round, ROUNDS rounds, each round in a rotated order, so that the shared machine's slow
# moments fall on all rows alike; the table reports each row's median over the rounds.
taskset -c "$SERVER_CPU" "$ferry" serve --model-repository "$repo" --http-port $PORT_FERRY --grpc-port -1 --intra-op-threads 1 "${log_off[@]}" ${io_flag[@]+"${io_flag[@]}"} >"$work/ferry.log" 2>&1 &
ferry_pid=$!
pids+=($ferry_pid)
wait_http "http://127.0.0.1:$PORT_FERRY/v2/health/ready"
curl -sf -X POST "http://127.0.0.1:$PORT_FERRY/v2/models/flights/infer" -d @"$work/flights/request.json" > "$work/flights/response.json"
# 1. The ceiling: a minimal Kestrel endpoint answering Ferry's own response bytes.
taskset -c "$SERVER_CPU" dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" ceiling --port $PORT_CEILING --response "$work/flights/response.json" ${io_flag[@]+"${io_flag[@]}"} >/dev/null 2>&1 &
ceiling_pid=$!
pids+=($ceiling_pid)
# 3. The peer: the same model and body on onnxruntime-node behind Node's http module.
taskset -c "$SERVER_CPU" node bench/node-peer/server.js "$work/flights/model.onnx" $PORT_PEER >"$work/peer.log" 2>&1 &
peer_pid=$!
pids+=($peer_pid)
wait_post "http://127.0.0.1:$PORT_CEILING/v2/models/flights/infer" "$work/flights/request.json"
wait_post "http://127.0.0.1:$PORT_PEER/v2/models/flights/infer" "$work/flights/request.json"

flights="$work/flights/request.json"
cls_body="$work/cls/body.bin"
cls_header="$(cat "$work/cls/header-length")"
ceiling_url="http://127.0.0.1:$PORT_CEILING/v2/models"
ferry_url="http://127.0.0.1:$PORT_FERRY/v2/models"
peer_url="http://127.0.0.1:$PORT_PEER/v2/models"
ferry_jit() { curl -sf "http://127.0.0.1:$PORT_FERRY/metrics" | awk '/^system_runtime_dotnet_jit_compilation_time /{ print int($2 * 1000) }'; }
ceiling_jit() { curl -sf "http://127.0.0.1:$PORT_CEILING/jit"; }
echo "warming up until each server's JIT settles..." >&2
settle ferry ferry_jit "$ferry_url/flights/infer $flights - 1,16,64" "$ferry_url/flights_batched/infer $flights - 1,16,64" \
  "$ferry_url/flights_logged/infer $flights - 64" "$ferry_url/classifier/infer $cls_body $cls_header 1"
settle ceiling ceiling_jit "$ceiling_url/flights/infer $flights - 1,16,64" "$ceiling_url/classifier/infer $cls_body $cls_header 1"
warm_for 20 "$peer_url/flights/infer $flights - 1,16,64"

# One row: NAME CONCURRENCY URL BODY HEADER_LENGTH PID
rows=()
for c in 1 16 64; do rows+=("ceiling $c $ceiling_url/flights/infer $flights - $ceiling_pid"); done
# The same ceiling fed the classifier's 110 KB binary body: what the HTTP round trip of that body costs alone.
rows+=("ceiling-binary 1 $ceiling_url/classifier/infer $cls_body $cls_header $ceiling_pid")
# 2. Ferry, REST JSON, batch-1 requests, dynamic batching off and on; on, with every request logged.
for c in 1 16 64; do rows+=("ferry-batching-off $c $ferry_url/flights/infer $flights - $ferry_pid"); done
for c in 1 16 64; do rows+=("ferry-batching-on $c $ferry_url/flights_batched/infer $flights - $ferry_pid"); done
rows+=("ferry-batching-on-logged 64 $ferry_url/flights_logged/infer $flights - $ferry_pid")
# 4. The classifier (CNN) with the binary extension, at concurrency 1.
rows+=("ferry-classifier-binary 1 $ferry_url/classifier/infer $cls_body $cls_header $ferry_pid")
for c in 1 16 64; do rows+=("node-peer $c $peer_url/flights/infer $flights - $peer_pid"); done

# 5. Raw ONNX Runtime in-process (the compute ceiling), on the server's core; once per round too.
raw() { taskset -c "$SERVER_CPU" dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" raw "$@" --seconds "$DURATION"; }
# ONLY: a regex; the rows (and raw rows) whose names do not match it are left out.
only="${ONLY:-.}"
kept=()
for row in "${rows[@]}"; do [[ "${row%% *}" =~ $only ]] && kept+=("$row"); done
rows=("${kept[@]}")
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS..." >&2
  n=${#rows[@]}
  for i in $(seq 0 $((n - 1))); do
    read -r name conc url body header pid <<<"${rows[$(( (i + (round - 1) * 5) % n ))]}"
    [ "$header" = "-" ] && header=""
    run "$name" "$url" "$body" "$header" "$conc" "$pid" >> "$results"
  done
  if [[ raw-onnxruntime-flights =~ $only ]]; then
    read -r rps p50 p99 < <(raw --model "$work/flights/model.onnx" --request "$flights")
    echo "raw-onnxruntime-flights|1|$rps|$p50|$p99|0||" >> "$results"
  fi
  if [[ raw-onnxruntime-classifier =~ $only ]]; then
    read -r rps p50 p99 < <(raw --model "$classifier" --request "$work/cls/header.json" --binary "$work/cls/image.bin")
    echo "raw-onnxruntime-classifier|1|$rps|$p50|$p99|0||" >> "$results"
  fi
done
kill "$ceiling_pid" "$peer_pid" "$ferry_pid" 2>/dev/null || true
wait "$ceiling_pid" "$peer_pid" "$ferry_pid" 2>/dev/null || true

# 6. Memory: RSS after the first 10,000 requests and after 1,000,000 (batching on, concurrency 64).
rss_line=""
if [ "${MEMORY:-1}" = 1 ]; then
  taskset -c "$SERVER_CPU" "$ferry" serve --model-repository "$repo" --http-port $PORT_FERRY --grpc-port -1 --intra-op-threads 1 "${log_off[@]}" ${io_flag[@]+"${io_flag[@]}"} >"$work/ferry-memory.log" 2>&1 &
  memory_pid=$!
  pids+=($memory_pid)
  wait_http "http://127.0.0.1:$PORT_FERRY/v2/health/ready"
  total=0
  burst() {
    local n
    n=$(BODY_FILE="$flights" taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$1" -s bench/serving/post.lua \
      "$ferry_url/flights_batched/infer" | awk '/^BENCH/ { print $2 }')
    total=$((total + n))
  }
  while [ "$total" -lt 10000 ]; do burst 1s; done
  rss_first=$(ps -o rss= -p "$memory_pid" | tr -d ' '); first_total=$total
  while [ "$total" -lt 1000000 ]; do burst 20s; echo "  memory phase: $total requests, RSS $(( $(ps -o rss= -p "$memory_pid") / 1024 )) MiB" >&2; done
  rss_last=$(ps -o rss= -p "$memory_pid" | tr -d ' ')
  rss_line="$first_total $rss_first $total $rss_last"
  kill "$memory_pid"
fi

python3 bench/serving/table.py "$results" "$rss_line"
