#!/usr/bin/env bash
# The whole test suite: fetches the test assets, builds, and runs every test project.
# Reads nothing from standard input, so it runs the same in CI and in a terminal.
# Ends with one summary line, 'tests: N passed, N failed, N skipped', over all test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-assets.sh < /dev/null
# The drift tests compare with scipy; install Debian's python3-scipy when missing and we are root with apt-get.
if ! /usr/bin/python3 -c 'import scipy' > /dev/null 2>&1 && command -v apt-get > /dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "test.sh: installing python3-scipy for the drift tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy < /dev/null > /dev/null 2>&1 \
    || { apt-get update -qq < /dev/null > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy < /dev/null > /dev/null 2>&1; } \
    || echo "test.sh: could not install python3-scipy; the scipy comparison will be skipped"
fi
# The under-load delivery tests drive the server with Debian's wrk and fail without it; install it when missing.
if ! command -v wrk > /dev/null 2>&1 && command -v apt-get > /dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "test.sh: installing wrk for the under-load delivery tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk < /dev/null > /dev/null 2>&1 \
    || { apt-get update -qq < /dev/null > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk < /dev/null > /dev/null 2>&1; } \
    || echo "test.sh: could not install wrk; the wrk under-load tests will fail"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Ferry.slnx -c Release < /dev/null 2>&1 | tee "$log" || status=$?
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { failed += $(i + 1) + 0 }
      if ($i == "Passed:") { passed += $(i + 1) + 0 }
      if ($i == "Skipped:") { skipped += $(i + 1) + 0 }
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
exit "$status"
