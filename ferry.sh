#!/usr/bin/env bash
# Builds ferry in Release and runs it with the given arguments, e.g. './ferry.sh serve'.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
# Build output goes to stderr so that 'ferry' owns stdout.
dotnet build "$root/src/Ferry/Ferry.csproj" -c Release -nologo -v quiet < /dev/null >&2
exec "$root/src/Ferry/bin/Release/net10.0/ferry" "$@"
