#!/usr/bin/env bash
# Issue 4, acceptance 3: kill -9 of `ferry serve` (SQLite) during concurrent registrations, N times; after each
# restart every acknowledged registration is there with a verifying blob and no version row lacks its blob.
# Usage: bench/registry/crash.sh [ROUNDS=20] [CONCURRENCY=1000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-20}"
concurrency="${2:-1000}"
log="$(mktemp /tmp/ferry-crash-XXXXXX.log)"
trap 'rm -f "$log"' EXIT

echo "crash test: $rounds rounds, $concurrency registrations in flight (log: $log while running)"
status=0
FERRY_CRASH_ROUNDS="$rounds" FERRY_CRASH_CONCURRENCY="$concurrency" \
  dotnet test "$root/tests/Ferry.Cli.Tests" -c Release --filter "FullyQualifiedName~CrashRecoveryTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?

grep -E '^\s*crash (round|summary)' "$log" | sed 's/^ *//' || true
if [ "$status" -ne 0 ]; then
  grep -E 'Failed|Assert|Error Message' -A3 "$log" | head -40 || true
  echo "FAILED (dotnet test exit $status)"
else
  echo "PASSED"
fi
exit "$status"
