#!/usr/bin/env bash
# What a deployment costs the caller, one command, with wrk on 127.0.0.1 (server on core 0, load on core 1):
#  1. switch under load, real clock: a blue/green switch, a canary (20/50/100 % with 2 s pauses and an error-rate
#     analysis every 2 s) and a rollback, each its own wrk run; one row per phase with requests, non-2xx and the
#     versions that answered.
#  2. paced shadow cost (issue 8, acceptance 4; the acceptance figure): the model served directly (the reference)
#     and shadowed to a candidate that answers, that fails on every copy, or that times out on its copies, each
#     row at a fixed offered rate (RATE req/s over PACED_CONC connections, bench/delivery/paced.lua) well under
#     the server's capacity, so that p99 is the request's path and not a queue; REPEATS rounds in rotated order;
#     per kind the median p50 / p99 / p99.9 and the p99 delta to direct (median and min..max of the rounds).
#  3. saturated shadow cost (PARTS=shadow, not run by default): the same kinds plus a routed one, closed-loop at
#     saturation (CONC connections); shows the throughput the shadow's work takes from the server's one core.
# Usage: bash bench/delivery/run.sh   (DURATION=10 s a row, WARMUP=10 s per deployment before the rows,
#        ROW_WARMUP=2 s before each row, REPEATS=5, RATE=1000, PACED_CONC=10, CONC=16, PARTS="switch paced";
#        PARTS="switch paced shadow" for all three)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
ROW_WARMUP="${ROW_WARMUP:-2}"
REPEATS="${REPEATS:-5}"
CONC="${CONC:-16}"
RATE="${RATE:-1000}"
PACED_CONC="${PACED_CONC:-10}"
PARTS="${PARTS:-switch paced}"
# A shadow copy that has not answered within this long counts as timed out (the shadow-timeout row).
SLOW_TIMEOUT="${SLOW_TIMEOUT:-00:00:00.0002}"
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
body="$work/flights/request.json"

# The controller looks at rollouts every second, so that the canary's 2 s pauses and windows are kept to.
Ferry__Delivery__ControllerInterval=00:00:01 taskset -c "$SERVER_CPU" "$ferry" serve --model-repository "$work/empty-repo" \
  --http-port $PORT --grpc-port -1 --intra-op-threads 1 --log-sample-rate 0 --home "$work/home" >"$work/ferry.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -sf -o /dev/null "$api/v2/health/live" && break; sleep 0.1; done

register() { curl -sf -X POST "$api/api/v1/registry/versions?name=flights" -H 'Content-Type: application/octet-stream' --data-binary @"$1" >/dev/null; }
# v1 and v2: the same FastTree model (v2 does the same work as v1); v3: the PaddleOCR classifier, whose
# signature refuses the flights body, so every shadow copy sent to it fails.
register "$work/flights/model.onnx"
register "$work/flights/model.onnx"
register "$classifier"
curl -sf -X PUT "$api/api/v1/registry/models/flights/aliases/champion" -H 'Content-Type: application/json' -d '{"version": 1}' >/dev/null
call() { curl -sf -X "$1" "$api/api/v1/deployments$2" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
for _ in $(seq 1 300); do curl -sf -o /dev/null -X POST "$api/v2/models/flights/infer" -d @"$body" && break; sleep 0.1; done
phase_of() { call GET "/$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["deployment"]["state"]; print(s["phase"], s["stable_version"])'; }

# ---- 1. switch under load ------------------------------------------------------------------------------------
if [[ " $PARTS " == *" switch "* ]]; then
  call POST "" '{"name": "switch", "model": "flights", "stable_version": 1, "strategy": "bluegreen"}' >/dev/null
  switch_rows="$work/switch.txt"
  : > "$switch_rows"
  wrk_start() {
    BODY_FILE="$body" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONC" -d300s --timeout 5s -s bench/delivery/switch.lua "$api/v2/models/switch/infer" > "$work/wrk-switch.out" 2>&1 &
    wrk_pid=$!
    pids+=("$wrk_pid")
    sleep 2
  }
  wrk_stop() { # NAME RESULT
    sleep 2
    kill -INT "$wrk_pid"; wait "$wrk_pid" || true
    awk -v name="$1" -v result="$2" '/^SWITCH/ { printf "%s|%s|%s|%s|%s|%s\n", name, $2, $3, $4, $5, result }' "$work/wrk-switch.out" >> "$switch_rows"
  }

  wrk_start
  call PUT /switch/candidate '{"candidate_version": 2}' >/dev/null
  preview="$(curl -s -o /dev/null -D - -X POST "$api/v2/models/switch/infer" -H 'x-ferry-preview: true' -d @"$body" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-ferry-model-version" { print $2 }')"
  sleep 1
  call POST /switch/promote "{}" >/dev/null
  wrk_stop bluegreen "preview answered by v$preview; $(phase_of switch | awk '{ print $1 " on v" $2 }')"

  wrk_start
  call PUT /switch/candidate '{"candidate_version": 1, "strategy": "canary",
    "steps": [{"set_weight": 20}, {"pause": {"duration": "00:00:02"}}, {"set_weight": 50}, {"pause": {"duration": "00:00:02"}}, {"set_weight": 100}, {"pause": {"duration": "00:00:02"}}],
    "analysis": {"interval": "00:00:02", "checks": [{"metric": "error_rate", "fail_above": 0.0, "min_samples": 10}]}}' >/dev/null
  started=$(date +%s.%N)
  for _ in $(seq 1 600); do
    read -r phase stable < <(phase_of switch)
    [[ "$phase" == "stable" || "$phase" == "aborted" ]] && break
    sleep 0.1
  done
  took=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
  analyses=$(curl -sf "$api/api/v1/deployments/switch/history" | python3 -c 'import json,sys; print(sum(e["kind"] == "analysis" for e in json.load(sys.stdin)["events"]))')
  wrk_stop canary "$phase on v$stable after ${took} s, $analyses analyses"

  wrk_start
  call POST /switch/rollback "{}" >/dev/null
  wrk_stop rollback "$(phase_of switch | awk '{ print $1 " on v" $2 }')"

  python3 - "$switch_rows" "$CONC" <<'PY'
import sys
print(f"{'phase':<11}{'conc':>5}{'requests':>10}{'non-2xx':>9}{'errors':>8}  {'versions seen':<24}result")
for line in open(sys.argv[1]):
    name, requests, non2xx, errors, versions, result = line.rstrip("\n").split("|")
    print(f"{name:<11}{sys.argv[2]:>5}{int(requests):>10}{int(non2xx):>9}{int(errors):>8}  {versions:<24}{result}")
PY
  echo
fi

# ---- shadow deployments (parts 2 and 3) ----------------------------------------------------------------------
post() { BODY_FILE="$body" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONC" -d"$1s" --timeout 5s -s bench/serving/post.lua "$api/v2/models/$2/infer"; }
shadow() { curl -sf "$api/api/v1/deployments/$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["shadow"]; print("enqueued %d, dropped %d, compared %d, errors %d, timeouts %d, disagreement %.3f" % (s["enqueued"], s["dropped"], s["compared"], s["errors"], s["timeouts"], s["disagreement_rate"]))'; }
if [[ " $PARTS " == *" paced "* || " $PARTS " == *" mixed "* || " $PARTS " == *" shadow "* ]]; then
  call POST "" '{"name": "routed", "model": "flights", "stable_version": 1, "strategy": "bluegreen"}' >/dev/null
  call POST "" '{"name": "shadow-ok", "model": "flights", "stable_version": 1, "candidate_version": 2, "strategy": "shadow"}' >/dev/null
  call POST "" '{"name": "shadow-crash", "model": "flights", "stable_version": 1, "candidate_version": 3, "strategy": "shadow"}' >/dev/null
  call POST "" "{\"name\": \"shadow-timeout\", \"model\": \"flights\", \"stable_version\": 1, \"candidate_version\": 2, \"strategy\": \"shadow\", \"shadow_timeout\": \"$SLOW_TIMEOUT\"}" >/dev/null
fi

# ---- 2. paced shadow cost (the acceptance figure) ------------------------------------------------------------
if [[ " $PARTS " == *" paced "* ]]; then
  paced() { BODY_FILE="$body" RATE="$RATE" taskset -c "$LOAD_CPU" wrk -t1 -c"$PACED_CONC" -d"$1s" --timeout 5s -s bench/delivery/paced.lua "$api/v2/models/$2/infer"; }
  pkinds=("direct:flights" "shadow-ok:shadow-ok" "shadow-crash:shadow-crash" "shadow-timeout:shadow-timeout")
  # JIT and pools warm at saturation, then every row gets its own paced ROW_WARMUP.
  for k in "${pkinds[@]}"; do post "$WARMUP" "${k#*:}" >/dev/null; done
  before=()
  for k in "${pkinds[@]:1}"; do before+=("$(shadow "${k#*:}")"); done

  # One line a row: "round|kind|requests|achieved req/s|p50_us|p99_us|p999_us|errors|late"; round r starts at kind r mod n.
  presults="$work/paced.txt"
  : > "$presults"
  n=${#pkinds[@]}
  for r in $(seq 0 $((REPEATS - 1))); do
    for i in $(seq 0 $((n - 1))); do
      k="${pkinds[$(( (r + i) % n ))]}"
      paced "$ROW_WARMUP" "${k#*:}" >/dev/null
      paced "$DURATION" "${k#*:}" | awk -v round="$r" -v name="${k%%:*}" '/^PACED/ { printf "%s|%s|%s|%s|%s|%s|%s|%s|%s\n", round, name, $2, $3, $4, $5, $6, $7, $9 }' >> "$presults"
    done
  done

  echo "paced: offered $RATE req/s over $PACED_CONC connections, $REPEATS rounds of ${ROW_WARMUP} s + ${DURATION} s a row, rotated order"
  python3 - "$presults" "$RATE" <<'PY'
import statistics, sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
rate = float(sys.argv[2])
kinds = list(dict.fromkeys(r[1] for r in rows))
kinds.sort(key=lambda k: k != "direct")
def col(kind, i): return [float(r[i]) for r in rows if r[1] == kind]
direct_p99 = {r[0]: float(r[5]) for r in rows if r[1] == "direct"}
print(f"{'kind':<16}{'runs':>5}{'offered':>9}{'achieved':>10}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'errors':>7}{'late':>6}  p99 vs direct, ms: median [min..max] of the rounds")
for k in kinds:
    ach = col(k, 3)
    deltas = [float(r[5]) - direct_p99[r[0]] for r in rows if r[1] == k and r[0] in direct_p99]
    note = "reference" if k == "direct" else f"{statistics.median(deltas)/1000:+.3f} [{min(deltas)/1000:+.3f}..{max(deltas)/1000:+.3f}]"
    print(f"{k:<16}{len(ach):>5}{rate:>9.0f}{statistics.median(ach):>10.1f}{statistics.median(col(k, 4))/1000:>9.3f}"
          f"{statistics.median(col(k, 5))/1000:>9.3f}{statistics.median(col(k, 6))/1000:>10.3f}{int(sum(col(k, 7))):>7}{int(sum(col(k, 8))):>6}  {note}")
print("achieved req/s, every row: " + "; ".join(f"{k} " + " ".join(f"{float(r[3]):.1f}" for r in rows if r[1] == k) for k in kinds))
print("p99 ms, every row:         " + "; ".join(f"{k} " + " ".join(f"{float(r[5])/1000:.2f}" for r in rows if r[1] == k) for k in kinds))
PY
  i=0
  for k in "${pkinds[@]:1}"; do
    printf '%-16s before: %s\n%-16s after:  %s\n' "${k%%:*}" "${before[$i]}" "" "$(shadow "${k#*:}")"
    i=$((i + 1))
  done
  echo
fi

# ---- 2b. mixed shadow cost: direct and a shadowed deployment alternating on the same connections ------------------
if [[ " $PARTS " == *" mixed "* ]]; then
  mixed() { BODY_FILE="$body" RATE="$RATE" THREADS="$PACED_CONC" PATH_A="/v2/models/flights/infer" PATH_B="/v2/models/$2/infer" \
    taskset -c "$LOAD_CPU" wrk -t"$PACED_CONC" -c"$PACED_CONC" -d"$1s" --timeout 5s -s bench/delivery/mixed.lua "$api"; }
  mkinds=("shadow-ok" "shadow-crash" "shadow-timeout")
  if [[ " $PARTS " != *" paced "* ]]; then
    for k in flights "${mkinds[@]}"; do post "$WARMUP" "$k" >/dev/null; done
  fi
  # One line a row: "round|kind|direct n|p50|p99|p99.9|shadowed n|p50|p99|p99.9|errors|late|seconds" (µs); rotated rounds.
  mresults="$work/mixed.txt"
  : > "$mresults"
  n=${#mkinds[@]}
  for r in $(seq 0 $((REPEATS - 1))); do
    for i in $(seq 0 $((n - 1))); do
      k="${mkinds[$(( (r + i) % n ))]}"
      mixed "$ROW_WARMUP" "$k" >/dev/null
      mixed "$DURATION" "$k" | awk -v round="$r" -v name="$k" '/^MIXED/ { $1 = ""; gsub(/^ /, ""); gsub(/ /, "|"); print round "|" name "|" $0 }' >> "$mresults"
    done
  done

  echo "mixed: offered $RATE req/s over $PACED_CONC connections, every other request to the shadowed deployment, the rest direct; $REPEATS rounds of ${ROW_WARMUP} s + ${DURATION} s a row"
  python3 - "$mresults" "$RATE" <<'PY'
import statistics, sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
kinds = list(dict.fromkeys(r[1] for r in rows))
ms = lambda v: f"{v / 1000:.3f}"
print(f"{'kind':<16}{'runs':>5}{'achieved':>10}{'direct p50':>11}{'p99':>8}{'p99.9':>8}{'shadow p50':>11}{'p99':>8}{'p99.9':>8}{'errors':>7}{'late':>6}  p99 shadowed - direct, ms: median [min..max] of the rounds")
for k in kinds:
    rs = [r for r in rows if r[1] == k]
    c = lambda i: statistics.median(float(r[i]) for r in rs)
    ach = statistics.median((float(r[2]) + float(r[6])) / float(r[12]) for r in rs)
    d = [float(r[8]) - float(r[4]) for r in rs]
    print(f"{k:<16}{len(rs):>5}{ach:>10.1f}{ms(c(3)):>11}{ms(c(4)):>8}{ms(c(5)):>8}{ms(c(7)):>11}{ms(c(8)):>8}{ms(c(9)):>8}"
          f"{int(sum(float(r[10]) for r in rs)):>7}{int(sum(float(r[11]) for r in rs)):>6}  {statistics.median(d)/1000:+.3f} [{min(d)/1000:+.3f}..{max(d)/1000:+.3f}]")
print("p99 ms, every row, direct/shadowed: " + "; ".join(f"{k} " + " ".join(f"{float(r[4])/1000:.2f}/{float(r[8])/1000:.2f}" for r in rows if r[1] == k) for k in kinds))
PY
  echo
fi

# ---- 3. saturated shadow cost --------------------------------------------------------------------------------
if [[ " $PARTS " == *" shadow "* ]]; then
  kinds=("direct:flights" "routed:routed" "shadow-ok:shadow-ok" "shadow-crash:shadow-crash" "shadow-timeout:shadow-timeout")
  for k in "${kinds[@]}"; do post "$WARMUP" "${k#*:}" >/dev/null; done

  # run KIND TARGET -> "kind|requests/s|p50_us|p99_us|errors"
  results="$work/results.txt"
  : > "$results"
  for r in $(seq 1 "$REPEATS"); do
    for k in "${kinds[@]}"; do
      post "$ROW_WARMUP" "${k#*:}" >/dev/null
      post "$DURATION" "${k#*:}" | grep '^BENCH' | awk -v name="${k%%:*}" '{ printf "%s|%.0f|%d|%d|%d\n", name, $2 / ($6 / 1e6), $3, $4, $5 }' >> "$results"
    done
  done

  python3 - "$results" "$CONC" <<'PY'
import statistics, sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
kinds = list(dict.fromkeys(r[0] for r in rows))
def med(kind, i): return statistics.median(float(r[i]) for r in rows if r[0] == kind)
ref_rps, ref_p99 = med("direct", 1), med("direct", 3)
print(f"{'kind':<16}{'conc':>5}{'runs':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}  {'p99 of each run, ms':<26}vs direct (medians)")
for k in kinds:
    runs = [r for r in rows if r[0] == k]
    each = " ".join(f"{int(r[3])/1000:.2f}" for r in runs)
    errors = sum(int(r[4]) for r in runs)
    note = "reference" if k == "direct" else f"{med(k, 1)/ref_rps:.2f}x req/s, p99 {(med(k, 3)-ref_p99)/1000:+.3f} ms"
    print(f"{k:<16}{sys.argv[2]:>5}{len(runs):>5}{med(k, 1):>9.0f}{med(k, 2)/1000:>9.3f}{med(k, 3)/1000:>9.3f}{errors:>7}  {each:<26}{note}")
PY
  echo "shadow-ok:      $(shadow shadow-ok)"
  echo "shadow-crash:   $(shadow shadow-crash)"
  echo "shadow-timeout: $(shadow shadow-timeout)"
fi
