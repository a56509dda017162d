#!/usr/bin/env bash
# What a deployment costs the caller, one command: routing through a deployment, and shadow copies to a
# candidate that answers or that fails on every copy, against the model served directly (the reference),
# with wrk on 127.0.0.1 (server on core 0, load generator on core 1).
# Usage: bash bench/delivery/run.sh        (DURATION=10 seconds a row by default; CONC=16 connections)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
DURATION="${DURATION:-10}"
CONC="${CONC:-16}"
work="$root/bench/.work/delivery"
rm -rf "$work/home"
mkdir -p "$work"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT=9250
api="http://127.0.0.1:$PORT"
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bash scripts/fetch-assets.sh >/dev/null
assets="$root/.cache/assets"
flights_json="$(find -L "$assets" -name flights-200k.json | head -1)"
classifier="$(find -L "$assets" -name 'ch_ppocr_mobile_v2.0_cls_infer.onnx' | head -1)"

echo "building (Release)..." >&2
dotnet build src/Ferry -c Release -v q -nologo >/dev/null
dotnet build bench/Ferry.Bench -c Release -v q -nologo >/dev/null
ferry="$root/src/Ferry/bin/Release/net10.0/ferry"
tool() { dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" "$@"; }
[ -f "$work/flights/model.onnx" ] || tool train-flights --data "$flights_json" --out "$work/flights" >&2
mkdir -p "$work/empty-repo"

taskset -c "$SERVER_CPU" "$ferry" serve --model-repository "$work/empty-repo" --http-port $PORT --grpc-port -1 --intra-op-threads 1 \
  --log-sample-rate 0 --home "$work/home" >"$work/ferry.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -sf -o /dev/null "$api/v2/health/live" && break; sleep 0.1; done

register() { curl -sf -X POST "$api/api/v1/registry/versions?name=flights" -H 'Content-Type: application/octet-stream' --data-binary @"$1" >/dev/null; }
# v1 and v2: the same FastTree model (v2 does the same work as v1); v3: the PaddleOCR classifier, whose
# signature refuses the flights body, so every shadow copy sent to it fails.
register "$work/flights/model.onnx"
register "$work/flights/model.onnx"
register "$classifier"
curl -sf -X PUT "$api/api/v1/registry/models/flights/aliases/champion" -H 'Content-Type: application/json' -d '{"version": 1}' >/dev/null
deploy() { curl -sf -X POST "$api/api/v1/deployments" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
deploy '{"name": "routed", "model": "flights", "stable_version": 1, "strategy": "bluegreen"}'
deploy '{"name": "shadow-ok", "model": "flights", "stable_version": 1, "candidate_version": 2, "strategy": "shadow"}'
deploy '{"name": "shadow-crash", "model": "flights", "stable_version": 1, "candidate_version": 3, "strategy": "shadow"}'
for _ in $(seq 1 300); do curl -sf -o /dev/null -X POST "$api/v2/models/flights/infer" -d @"$work/flights/request.json" && break; sleep 0.1; done

# run NAME MODEL -> "name|requests/s|p50_us|p99_us|errors"
run() {
  BODY_FILE="$work/flights/request.json" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONC" -d"${WARMUP:-3}s" -s bench/serving/post.lua "$api/v2/models/$2/infer" >/dev/null
  BODY_FILE="$work/flights/request.json" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONC" -d"${DURATION}s" --timeout 5s -s bench/serving/post.lua "$api/v2/models/$2/infer" \
    | grep '^BENCH' | awk -v name="$1" '{ printf "%s|%.0f|%d|%d|%d\n", name, $2 / ($6 / 1e6), $3, $4, $5 }'
}

results="$work/results.txt"
: > "$results"
run direct flights >> "$results"
run deployment-routed routed >> "$results"
run shadow-100pct-ok shadow-ok >> "$results"
run shadow-100pct-crash shadow-crash >> "$results"
run direct-again flights >> "$results"

shadow() { curl -sf "$api/api/v1/deployments/$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["shadow"]; print("enqueued %d, dropped %d, compared %d, errors %d, disagreement %.3f" % (s["enqueued"], s["dropped"], s["compared"], s["errors"], s["disagreement_rate"]))'; }

python3 - "$results" "$CONC" <<'PY'
import sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
ref = next(r for r in rows if r[0] == "direct")
print(f"{'row':<22}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}  vs direct")
for name, rps, p50, p99, err in rows:
    note = "reference" if name == "direct" else f"{float(rps)/float(ref[1]):.2f}x req/s, p99 {(int(p99)-int(ref[3]))/1000:+.3f} ms"
    print(f"{name:<22}{sys.argv[2]:>5}{float(rps):>9.0f}{int(p50)/1000:>9.3f}{int(p99)/1000:>9.3f}{int(err):>7}  {note}")
PY
echo "shadow-ok:    $(shadow shadow-ok)"
echo "shadow-crash: $(shadow shadow-crash)"
