#!/usr/bin/env bash
# The whole test suite: fetches the test assets, builds, and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Ferry.slnx -c Release 2>&1
