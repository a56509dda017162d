#!/usr/bin/env bash
# Time-to-ready of a real model through the repository extension: starts 'ferry serve' on a repository holding
# PaddleOCR's recogniser (10.8 MB) and classifier (0.6 MB, the reference), then for each model unloads and
# loads it RUNS times, timing 'POST /v2/repository/models/{m}/load' (which returns once the model is loaded and
# warmed up) and checking it is ready after. Prints the median, min and max; acceptance: recogniser under 2 s.
# Usage: bash bench/load-time.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}

bash scripts/fetch-assets.sh < /dev/null > /dev/null
dotnet build src/Ferry/Ferry.csproj -c Release -nologo -v quiet < /dev/null > /dev/null

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

assets=.cache/assets/ocr-models/assets
mkdir -p "$work/repo/ocr_rec/1" "$work/repo/ocr_cls/1"
cp "$assets/ch_PP-OCRv4_rec_infer.onnx" "$work/repo/ocr_rec/1/model.onnx"
cp "$assets/ch_ppocr_mobile_v2.0_cls_infer.onnx" "$work/repo/ocr_cls/1/model.onnx"

src/Ferry/bin/Release/net10.0/ferry serve --model-repository "$work/repo" --home "$work/home" \
  --http-port 0 --grpc-port -1 < /dev/null > "$work/server.log" 2>&1 &
server_pid=$!

# Port 0 lets the server pick a free port; it prints the address it bound.
base=
for _ in $(seq 1 600); do
  base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.log" | head -n 1 || true)
  if [[ -n $base ]] && curl -sf "$base/v2/health/ready" > /dev/null; then break; fi
  if ! kill -0 "$server_pid" 2> /dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.1
done

measure() { # model -> prints one load time in seconds per run
  local model=$1
  for _ in $(seq 1 "$runs"); do
    curl -sf -X POST "$base/v2/repository/models/$model/unload" > /dev/null
    curl -sf -o /dev/null -w '%{time_total}\n' -X POST "$base/v2/repository/models/$model/load"
    curl -sf "$base/v2/models/$model/ready" > /dev/null
  done
}

stats() { # seconds on stdin -> "median min max" in ms
  sort -g | awk '{ v[NR] = $1 * 1000 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'
}

read -r cls_med cls_min cls_max < <(measure ocr_cls | stats)
read -r rec_med rec_min rec_max < <(measure ocr_rec | stats)

printf '\nload time via POST /v2/repository/models/{m}/load, %d runs each, %d cores\n\n' "$runs" "$(nproc)"
printf '| %-8s | %7s | %10s | %8s | %8s | %13s | %16s |\n' model size median_ms min_ms max_ms ratio_to_cls ratio_to_2s_goal
printf '| %-8s | %7s | %10s | %8s | %8s | %13s | %16s |\n' -------- ------- ---------- -------- -------- ------------- ----------------
printf '| %-8s | %7s | %10s | %8s | %8s | %13s | %16s |\n' ocr_cls "$(du -h "$work/repo/ocr_cls/1/model.onnx" | cut -f1)" "$cls_med" "$cls_min" "$cls_max" 1.00 \
  "$(awk -v m="$cls_med" 'BEGIN { printf "%.2f", m / 2000 }')"
printf '| %-8s | %7s | %10s | %8s | %8s | %13s | %16s |\n' ocr_rec "$(du -h "$work/repo/ocr_rec/1/model.onnx" | cut -f1)" "$rec_med" "$rec_min" "$rec_max" \
  "$(awk -v r="$rec_med" -v c="$cls_med" 'BEGIN { printf "%.2f", r / c }')" "$(awk -v m="$rec_med" 'BEGIN { printf "%.2f", m / 2000 }')"
if awk -v m="$rec_med" 'BEGIN { exit !(m < 2000) }'; then echo; echo "recogniser median under 2 s: pass"; else echo; echo "recogniser median under 2 s: FAIL"; exit 1; fi
