#!/usr/bin/env bash
# Registry list/search benchmark on SQLite and on a throwaway PostgreSQL 15 cluster (started here, stopped on exit).
# Usage: bench/registry/run.sh [--models 1000] [--versions 100] [--iterations 500]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/ferry-bench-registry-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/pg" "$work/sqlite"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$work/pg"; chmod 755 "$work"; fi
as_postgres "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
# Stock settings apart from the socket and port: the figures should be what a default install gives.
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ferry_bench

dotnet run -c Release --project "$here/Ferry.Bench.Registry.csproj" -- \
  --postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=ferry_bench" --folder "$work/sqlite" "$@"
