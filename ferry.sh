#!/usr/bin/env bash
# Builds ferry in Release and runs it with the given arguments, e.g. './ferry.sh serve'.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
# Only build errors are shown, on stderr, so that 'ferry' owns stdout; warnings are errors in this repository anyway.
echo "ferry.sh: building ferry (Release)..." >&2
dotnet build "$root/src/Ferry/Ferry.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly < /dev/null >&2
exec "$root/src/Ferry/bin/Release/net10.0/ferry" "$@"
