#!/usr/bin/env bash
# A paired comparison of two Ferry builds (or one build under two environments) on one row of the serving benchmark:
# both servers run side by side on the server core, warmed alike, then measured in alternating rounds (A B, B A, ...)
# so that the shared machine's slow moments fall on both; prints each round and the medians. CPU a request (user and
# kernel) moves far less with the machine's noise than throughput does.
# Usage: bash bench/serving/ab.sh FERRY_A FERRY_B           (paths to two `ferry` executables)
#        ENV_A="DOTNET_X=1" bash bench/serving/ab.sh FERRY FERRY
#        MODEL=flights CONC=16 ROUNDS=8 SECS=8 WARM=60 ...   (defaults: flights_batched, 64, 6, 8, 60)
# Needs the models bench/serving/run.sh prepares (run it once, e.g. with DURATION=1 ROUNDS=1 MEMORY=0).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/bench/.work/serving"
[ $# -eq 2 ] || { echo "usage: $0 FERRY_A FERRY_B" >&2; exit 2; }
[ -f "$work/flights/request.json" ] || { echo "no models in $work: run bench/serving/run.sh once first" >&2; exit 1; }
MODEL="${MODEL:-flights_batched}" CONC="${CONC:-64}" ROUNDS="${ROUNDS:-6}" SECS="${SECS:-8}" WARM="${WARM:-60}"
SERVER_CPU="${SERVER_CPU:-0}" LOAD_CPU="${LOAD_CPU:-1}"
pids=()
trap 'for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done' EXIT

start() { # PORT ENV FERRY
  env ${2:-} taskset -c "$SERVER_CPU" "$3" serve --model-repository "$work/repo" --http-port "$1" --grpc-port -1 \
    --intra-op-threads 1 --log-sample-rate 0 --home "$work/ab-home-$1" --inline-io >"$work/ab-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$1/v2/health/ready" && return 0; sleep 0.1; done
  echo "no answer on port $1" >&2; exit 1
}
load() { # PORT SECONDS
  BODY_FILE="$work/flights/request.json" CONTENT_TYPE=application/json taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONC" -d"$2s" -s "$root/bench/serving/post.lua" "http://127.0.0.1:$1/v2/models/$MODEL/infer" | grep '^BENCH'
}
measure() { # NAME PORT PID -> "NAME rps p99_us cpu_us user_us kernel_us"
  local before after out
  before=$(awk '{ print $14, $15 }' "/proc/$3/stat")
  out=$(load "$2" "$SECS")
  after=$(awk '{ print $14, $15 }' "/proc/$3/stat")
  read -r u0 s0 <<<"$before"
  read -r u1 s1 <<<"$after"
  awk -v n="$1" -v u="$((u1 - u0))" -v s="$((s1 - s0))" -v hz="$(getconf CLK_TCK)" \
    '{ printf "%s %.0f %d %.2f %.2f %.2f\n", n, $2 / ($6 / 1e6), $4, (u + s) / hz * 1e6 / $2, u / hz * 1e6 / $2, s / hz * 1e6 / $2 }' <<<"$out"
}

start 9271 "${ENV_A:-}" "$1"; pid_a=${pids[-1]}
start 9272 "${ENV_B:-}" "$2"; pid_b=${pids[-1]}
echo "warming both ($WARM s each, in turns)..." >&2
for _ in 1 2 3; do load 9271 $((WARM / 3)) >/dev/null; load 9272 $((WARM / 3)) >/dev/null; done

results="$work/ab-results.txt"
: >"$results"
echo "run  req/s  p99_us  cpu_us/req  user  kernel"
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then
    measure A 9271 "$pid_a" | tee -a "$results"; measure B 9272 "$pid_b" | tee -a "$results"
  else
    measure B 9272 "$pid_b" | tee -a "$results"; measure A 9271 "$pid_a" | tee -a "$results"
  fi
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
med = {}
for name in "AB":
    mine = [[float(x) for x in r[1:]] for r in rows if r[0] == name]
    med[name] = [statistics.median(col) for col in zip(*mine)]
    rps, p99, cpu, user, kernel = med[name]
    print(f"median {name}: {rps:.0f} req/s, p99 {p99:.0f} us, {cpu:.2f} us cpu a request (user {user:.2f}, kernel {kernel:.2f})")
print(f"B/A: {med['B'][0] / med['A'][0]:.3f}x req/s, {med['B'][2] / med['A'][2]:.3f}x cpu a request")
EOF
