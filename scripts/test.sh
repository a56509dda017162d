#!/usr/bin/env bash
# The whole test suite: fetches the test assets, builds, and runs every test project.
# Reads nothing from standard input, so it runs the same in CI and in a terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-assets.sh < /dev/null
dotnet test Ferry.slnx -c Release < /dev/null 2>&1
