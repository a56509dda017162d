#!/usr/bin/env bash
# MLflow tracking API benchmark: 1,000,000 metric points across 1,000 runs on SQLite (and, with PG=1, on a throwaway
# PostgreSQL 15 cluster started here and stopped on exit); runs/search p50/p99 and the streamed metric history.
# Usage: [PG=1] bench/tracking/run.sh [--runs 1000] [--points 1000] [--history 200000] [--queries 300]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/ferry-bench-tracking-XXXXXX)"
pg_bin=/usr/lib/postgresql/15/bin
extra=()

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -d "$work/pg" ]; then as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${PG:-0}" = 1 ]; then
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$work/pg"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$work/pg"; chmod 755 "$work"; fi
  as_postgres "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ferry_bench
  extra=(--postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=ferry_bench")
fi

dotnet run -c Release --project "$here/Ferry.Bench.Tracking.csproj" -- --folder "$work/data" "${extra[@]}" "$@"
