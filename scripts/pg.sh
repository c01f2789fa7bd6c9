#!/usr/bin/env bash
# Manages a private PostgreSQL 15 cluster for usynys development and tests.
# Usage: scripts/pg.sh start|stop|url|status DIR
# Data lives in DIR/data, the server log in DIR/log, and the unix socket in DIR
# itself (no TCP). `start` also creates the `usynys` database and migrates it.
# When run as root the cluster is owned by and runs as the `postgres` user.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
db_user=usynys
db_name=usynys

usage() {
  echo "usage: $0 start|stop|url|status DIR" >&2
  exit 2
}

(($# == 2)) || usage
cmd="$1"
dir="$(realpath -m -- "$2")"
data="$dir/data"

# Keep the server's view of the environment predictable.
unset PGDATA PGPORT PGHOST PGHOSTADDR PGUSER PGDATABASE PGOPTIONS PGSERVICE

is_root=0
[[ "$(id -u)" -eq 0 ]] && is_root=1

# Runs a PostgreSQL server tool as the cluster owner.
as_owner() {
  if ((is_root)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

url() {
  if [[ "$dir" =~ [[:space:]\'\\] ]]; then
    local quoted="${dir//\\/\\\\}"
    quoted="${quoted//\'/\\\'}"
    echo "host='$quoted' user=$db_user dbname=$db_name"
  else
    echo "host=$dir user=$db_user dbname=$db_name"
  fi
}

is_running() {
  [[ -f "$data/PG_VERSION" ]] && as_owner "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# As root, make sure the postgres user can reach DIR. Temporary directories
# directly under the temp root (mktemp makes them 0700) are opened up; other
# directories are left alone and reported.
ensure_reachable() {
  local tmp_root p
  tmp_root="$(realpath -m -- "${TMPDIR:-/tmp}")"
  p="$(dirname -- "$dir")"
  while [[ "$p" != / ]]; do
    if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then
      if [[ "$(dirname -- "$p")" == "$tmp_root" || "$(dirname -- "$p")" == /tmp ]] &&
        [[ "$(stat -c %u -- "$p")" -eq 0 ]]; then
        chmod 0755 -- "$p"
      fi
    fi
    p="$(dirname -- "$p")"
  done
  if ! runuser -u postgres -- test -x "$dir"; then
    echo "pg: user postgres cannot reach $dir; pick a directory whose parents are world-traversable" >&2
    exit 1
  fi
}

start() {
  if [[ ! -x "$pg_bin/pg_ctl" ]]; then
    echo "pg: $pg_bin/pg_ctl not found (run scripts/deps.sh)" >&2
    exit 1
  fi
  if [[ "$dir" == *\'* || "$dir" == *\"* ]]; then
    echo "pg: quotes are not supported in the cluster directory: $dir" >&2
    exit 1
  fi
  # A unix socket path is limited to 107 bytes.
  local sock="$dir/.s.PGSQL.5432"
  if ((${#sock} > 107)); then
    echo "pg: socket path too long (${#sock} > 107 bytes): $sock" >&2
    exit 1
  fi

  mkdir -p -- "$dir"
  if ((is_root)); then
    chown postgres:postgres -- "$dir"
    chmod 0755 -- "$dir"
    if [[ -e "$data" && "$(stat -c %U -- "$data")" != postgres ]]; then
      chown -R postgres:postgres -- "$dir"
    fi
    ensure_reachable
  fi

  if [[ ! -f "$data/PG_VERSION" ]]; then
    if [[ -d "$data" && -n "$(ls -A -- "$data")" ]]; then
      echo "pg: $data is not empty but holds no cluster; remove it first" >&2
      exit 1
    fi
    # initdb cleans up after itself when it fails.
    local init=("$pg_bin/initdb" -D "$data" -A trust -U "$db_user" -E UTF8 --no-sync)
    if ! as_owner "${init[@]}" --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
      if ! as_owner "${init[@]}" --locale=C >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        echo "pg: initdb failed" >&2
        exit 1
      fi
    fi
    rm -f -- "$dir/initdb.log"
  fi

  if ! is_running; then
    # Durability stays as shipped (fsync, synchronous_commit, full_page_writes). A new WAL
    # segment is not zero-filled first: on a young cluster, which has no old segments to
    # recycle, writing 16 MB of zeros every few thousand proposals stalled every commit behind
    # it. WAL buffers hold a whole group commit's records. A burst writes about 5 kB of WAL per
    # proposal (its row, references, marks and folds): with the shipped 1 GB of max_wal_size a
    # checkpoint began every 20 s of full intake, and the fsyncs that end one stalled commits.
    if ! as_owner "$pg_bin/pg_ctl" -D "$data" -l "$dir/log" -w -t 60 \
      -o "-k '$dir' -c listen_addresses='' -c unix_socket_permissions=0777 \
          -c wal_init_zero=off -c wal_buffers=16MB -c max_wal_size=4GB" \
      start >/dev/null; then
      tail -n 30 "$dir/log" >&2 || true
      echo "pg: server failed to start (log: $dir/log)" >&2
      exit 1
    fi
  fi

  local i
  for ((i = 0; i < 60; i++)); do
    "$pg_bin/pg_isready" -q -h "$dir" -U "$db_user" -d postgres && break
    sleep 0.5
  done
  "$pg_bin/pg_isready" -q -h "$dir" -U "$db_user" -d postgres || {
    echo "pg: server at $dir is not accepting connections" >&2
    exit 1
  }

  local psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U "$db_user" -d postgres)
  if [[ -z "$("${psql[@]}" -At -c "select 1 from pg_database where datname = '$db_name'")" ]]; then
    "${psql[@]}" -c "create database $db_name"
  fi

  "$repo/scripts/migrate.sh" "$(url)"
}

stop() {
  if is_running; then
    as_owner "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  fi
}

status() {
  if [[ ! -f "$data/PG_VERSION" ]]; then
    echo "pg: no cluster in $dir"
    exit 3
  fi
  as_owner "$pg_bin/pg_ctl" -D "$data" status
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  status) status ;;
  *) usage ;;
esac
