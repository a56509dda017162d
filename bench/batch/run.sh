#!/usr/bin/env bash
# Ferry's batch benchmark, one command: scores vega's flights-3m.parquet (3 million rows) with the FastTree flights
# model through `ferry batch` (Parquet in, Parquet out) and through raw ONNX Runtime in-process on the same row
# groups (no output), in the same run, and prints rows/s, peak RSS and the ratio.
# Usage: bash bench/batch/run.sh
# flights-3m has no `time` column (it has date, delay, distance, origin, destination), so both sides feed the
# model's `time` input from `delay`: a throughput figure, not a meaningful prediction.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$root/bench/.work/batch"
assets="$root/.cache/assets"
mkdir -p "$work" "$assets"

command -v /usr/bin/time >/dev/null || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
bash scripts/fetch-assets.sh >/dev/null
flights3m="$(find "$assets" -name flights-3m.parquet | head -1)"
flights200k="$(find "$assets" -name flights-200k.json | head -1)"

echo "building (Release)..." >&2
dotnet build src/Ferry -c Release -v q -nologo >/dev/null
dotnet build bench/Ferry.Bench -c Release -v q -nologo >/dev/null
ferry="$root/src/Ferry/bin/Release/net10.0/ferry"
tool() { dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" "$@"; }

[ -f "$work/flights/model.onnx" ] || tool train-flights --data "$flights200k" --out "$work/flights" >&2
mkdir -p "$work/repo/flights/1"
cp "$work/flights/model.onnx" "$work/repo/flights/1/model.onnx"

peak_mb() { awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

# Raw ONNX Runtime: same row groups, same threads, no output.
/usr/bin/time -v -o "$work/raw.time" dotnet "$root/bench/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" batch-raw \
  --model "$work/flights/model.onnx" --input "$flights3m" --feed distance=distance,delay=time > "$work/raw.out"
read -r _ raw_rows raw_seconds < "$work/raw.out"

# Ferry: the whole job, Parquet in and out, checkpointed parts and assembly included.
/usr/bin/time -v -o "$work/ferry.time" "$ferry" batch --model flights --model-repository "$work/repo" \
  --input "$flights3m" --output "$work/scored.parquet" --output json --map delay=time --keep date --outputs Score.output --restart \
  > "$work/ferry.json" 2> "$work/ferry.err"
ferry_rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows_out"])' "$work/ferry.json")
ferry_seconds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$work/ferry.json")

python3 - "$raw_rows" "$raw_seconds" "$(peak_mb "$work/raw.time")" "$ferry_rows" "$ferry_seconds" "$(peak_mb "$work/ferry.time")" <<'PY'
import sys
rr, rs, rm, fr, fs, fm = sys.argv[1:]
raw, fer = int(rr) / float(rs), int(fr) / float(fs)
print(f"| run | rows | seconds | rows/s | peak RSS (MB) | ratio to raw |")
print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
print(f"| raw ONNX Runtime (no output) | {int(rr):,} | {float(rs):.2f} | {raw:,.0f} | {rm} | 1.00 |")
print(f"| ferry batch (Parquet out) | {int(fr):,} | {float(fs):.2f} | {fer:,.0f} | {fm} | {fer / raw:.2f} |")
print(f"acceptance: throughput >= 50% of raw: {'yes' if fer >= raw / 2 else 'NO'}; peak RSS < 500 MB: {'yes' if int(fm) < 500 else 'NO'}")
PY
