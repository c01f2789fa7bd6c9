#!/usr/bin/env bash
# Manages private PostgreSQL 15 clusters for usynys development and tests.
# Usage: scripts/pg.sh start|stop|url|status DIR
#        scripts/pg.sh start-replicated|url-replicated|kill-primary|promote|stop-replicated DIR
# Data lives in DIR/data, the server log in DIR/log, and the unix socket in DIR
# itself (no TCP). `start` also creates the `usynys` database and migrates it.
#
# The replicated commands manage a pair under DIR: a primary in DIR/primary and a
# synchronous streaming standby in DIR/standby, each laid out as above (so
# `status DIR/primary` or `url DIR/standby` work on either one).
#   start-replicated  creates and starts both, waits until the standby streams as
#                     the synchronous one, then creates and migrates `usynys` on
#                     the primary (the standby receives it by replication).
#   url-replicated    prints a multi-host connection string, primary first, that
#                     picks whichever of the two accepts writes.
#   kill-primary      SIGKILLs the primary's postmaster and waits until it is gone.
#   promote           promotes the standby and waits until it accepts writes.
#   stop-replicated   stops whichever of the two runs (fast shutdown).
# When run as root the clusters are owned by and run as the `postgres` user.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
db_user=usynys
db_name=usynys
# The standby's application_name, which synchronous_standby_names on the primary names, and
# the name of its replication slot there.
standby_name=usynys_standby

usage() {
  echo "usage: $0 start|stop|url|status DIR" >&2
  echo "       $0 start-replicated|url-replicated|kill-primary|promote|stop-replicated DIR" >&2
  exit 2
}

(($# == 2)) || usage
cmd="$1"
dir="$(realpath -m -- "$2")"
data="$dir/data"
primary="$dir/primary"
standby="$dir/standby"

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

# Prints $1 as a libpq connection string value, single-quoted when it needs to be.
conn_value() {
  if [[ "$1" =~ [[:space:]\'\\] ]]; then
    local quoted="${1//\\/\\\\}"
    quoted="${quoted//\'/\\\'}"
    echo "'$quoted'"
  else
    echo "$1"
  fi
}

# The connection string of the cluster whose socket is in $1.
url_of() {
  echo "host=$(conn_value "$1") user=$db_user dbname=$db_name"
}

url() {
  url_of "$dir"
}

# A comma would split a host of the multi-host connection string in two; libpq has no escape.
check_pair_dir() {
  if [[ "$dir" == *,* ]]; then
    echo "pg: commas are not supported in the directory of a replicated pair: $dir" >&2
    exit 1
  fi
}

# libpq tries the hosts in order and keeps the first that takes writes, so the string follows
# a promotion without changing.
url_replicated() {
  check_pair_dir
  echo "host=$(conn_value "$primary,$standby") user=$db_user dbname=$db_name" \
    "target_session_attrs=read-write"
}

# True when the cluster in $1 has a server that pg_ctl finds running.
is_running() {
  [[ -f "$1/data/PG_VERSION" ]] && as_owner "$pg_bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# Prints the pid of the postmaster of the cluster in $1 when that process is alive. A killed
# postmaster leaves its postmaster.pid behind, and the pid in it may come back as another
# process; only the postmaster (or a child of it) has the data directory as its working
# directory, and a zombie has none.
live_postmaster() {
  local pid_file="$1/data/postmaster.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(head -n 1 -- "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ "$(readlink -- "/proc/$pid/cwd" 2>/dev/null)" == "$(realpath -m -- "$1/data")" ]] || return 1
  echo "$pid"
}

# As root, make sure the postgres user can reach $1. Temporary directories
# directly under the temp root (mktemp makes them 0700) are opened up; other
# directories are left alone and reported.
ensure_reachable() {
  local target="$1" tmp_root p
  tmp_root="$(realpath -m -- "${TMPDIR:-/tmp}")"
  p="$(dirname -- "$target")"
  while [[ "$p" != / ]]; do
    if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then
      if [[ "$(dirname -- "$p")" == "$tmp_root" || "$(dirname -- "$p")" == /tmp ]] &&
        [[ "$(stat -c %u -- "$p")" -eq 0 ]]; then
        chmod 0755 -- "$p"
      fi
    fi
    p="$(dirname -- "$p")"
  done
  if ! runuser -u postgres -- test -x "$target"; then
    echo "pg: user postgres cannot reach $target; pick a directory whose parents are world-traversable" >&2
    exit 1
  fi
}

require_server_tools() {
  if [[ ! -x "$pg_bin/pg_ctl" ]]; then
    echo "pg: $pg_bin/pg_ctl not found (run scripts/deps.sh)" >&2
    exit 1
  fi
}

# Refuses a cluster directory $1 that the server's options or its socket cannot carry.
check_cluster_dir() {
  if [[ "$1" == *\'* || "$1" == *\"* ]]; then
    echo "pg: quotes are not supported in the cluster directory: $1" >&2
    exit 1
  fi
  # A unix socket path is limited to 107 bytes.
  local sock="$1/.s.PGSQL.5432"
  if ((${#sock} > 107)); then
    echo "pg: socket path too long (${#sock} > 107 bytes): $sock" >&2
    exit 1
  fi
}

# Creates directory $1 for the cluster owner.
prepare_dir() {
  mkdir -p -- "$1"
  if ((is_root)); then
    chown postgres:postgres -- "$1"
    chmod 0755 -- "$1"
    if [[ -e "$1/data" && "$(stat -c %U -- "$1/data")" != postgres ]]; then
      chown -R postgres:postgres -- "$1"
    fi
    ensure_reachable "$1"
  fi
}

# Runs initdb for the cluster in $1 unless it holds one already.
init_cluster() {
  local c="$1"
  [[ ! -f "$c/data/PG_VERSION" ]] || return 0
  if [[ -d "$c/data" && -n "$(ls -A -- "$c/data")" ]]; then
    echo "pg: $c/data is not empty but holds no cluster; remove it first" >&2
    exit 1
  fi
  # initdb cleans up after itself when it fails.
  local init=("$pg_bin/initdb" -D "$c/data" -A trust -U "$db_user" -E UTF8 --no-sync)
  if ! as_owner "${init[@]}" --locale=C.UTF-8 >"$c/initdb.log" 2>&1; then
    if ! as_owner "${init[@]}" --locale=C >"$c/initdb.log" 2>&1; then
      cat "$c/initdb.log" >&2
      echo "pg: initdb failed" >&2
      exit 1
    fi
  fi
  rm -f -- "$c/initdb.log"
}

# Starts the server of the cluster in $1 unless it runs; $2 holds more `-c name=value` options.
start_server() {
  local c="$1" extra="${2:-}"
  is_running "$c" && return 0
  # Durability stays as shipped (fsync, synchronous_commit, full_page_writes). A new WAL
  # segment is not zero-filled first: on a young cluster, which has no old segments to
  # recycle, writing 16 MB of zeros every few thousand proposals stalled every commit behind
  # it. WAL buffers hold a whole group commit's records. A burst writes about 5 kB of WAL per
  # proposal (its row, references, marks and folds): with the shipped 1 GB of max_wal_size a
  # checkpoint began every 20 s of full intake, and the fsyncs that end one stalled commits.
  if ! as_owner "$pg_bin/pg_ctl" -D "$c/data" -l "$c/log" -w -t 60 \
    -o "-k '$c' -c listen_addresses='' -c unix_socket_permissions=0777 \
        -c wal_init_zero=off -c wal_buffers=16MB -c max_wal_size=4GB $extra" \
    start >/dev/null; then
    tail -n 30 "$c/log" >&2 || true
    echo "pg: server failed to start (log: $c/log)" >&2
    exit 1
  fi
}

# Waits until the server whose socket is in $1 accepts connections.
wait_accepting() {
  local i
  for ((i = 0; i < 60; i++)); do
    "$pg_bin/pg_isready" -q -h "$1" -U "$db_user" -d postgres && break
    sleep 0.5
  done
  "$pg_bin/pg_isready" -q -h "$1" -U "$db_user" -d postgres || {
    echo "pg: server at $1 is not accepting connections" >&2
    exit 1
  }
}

# psql as the cluster owner on the maintenance database of the server whose socket is in $1.
psql_at() {
  local c="$1"
  shift
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$c" -U "$db_user" -d postgres "$@"
}

# Creates the usynys database on the server whose socket is in $1 and migrates it.
create_and_migrate() {
  if [[ -z "$(psql_at "$1" -At -c "select 1 from pg_database where datname = '$db_name'")" ]]; then
    psql_at "$1" -c "create database $db_name"
  fi
  "$repo/scripts/migrate.sh" "$(url_of "$1")"
}

start() {
  require_server_tools
  check_cluster_dir "$dir"
  prepare_dir "$dir"
  init_cluster "$dir"
  start_server "$dir"
  wait_accepting "$dir"
  create_and_migrate "$dir"
}

stop() {
  if is_running "$dir"; then
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

# Waits until the primary's pg_stat_replication shows the standby streaming as the
# synchronous one.
wait_synchronous() {
  local i state=""
  local query="select state || ' ' || sync_state from pg_stat_replication
                where application_name = '$standby_name'"
  for ((i = 0; i < 300; i++)); do
    state="$(psql_at "$primary" -At -c "$query")"
    [[ "$state" == "streaming sync" ]] && return 0
    sleep 0.2
  done
  echo "pg: the standby is not a streaming synchronous standby after 60 s (state: ${state:-none};" \
    "logs: $primary/log, $standby/log)" >&2
  exit 1
}

start_replicated() {
  require_server_tools
  check_pair_dir
  check_cluster_dir "$primary"
  check_cluster_dir "$standby"
  if [[ -f "$standby/data/PG_VERSION" && ! -f "$standby/data/standby.signal" ]]; then
    echo "pg: $standby was promoted; stop-replicated and remove $dir to start a new pair" >&2
    exit 1
  fi
  prepare_dir "$dir"
  prepare_dir "$primary"
  prepare_dir "$standby"

  # Only local connections exist (no TCP); the standby streams as the cluster owner.
  if [[ ! -f "$primary/data/PG_VERSION" ]]; then
    init_cluster "$primary"
    cat >"$primary/data/pg_hba.conf" <<HBA
# TYPE  DATABASE     USER     METHOD
local   all          all      trust
local   replication  $db_user   trust
HBA
    ((is_root)) && chown postgres:postgres -- "$primary/data/pg_hba.conf"
  fi
  # On the command line rather than in postgresql.conf, so the standby does not copy them: once
  # promoted it has no standby of its own to wait for.
  start_server "$primary" "-c wal_level=replica -c max_wal_senders=4 \
    -c synchronous_standby_names=$standby_name -c synchronous_commit=on"
  wait_accepting "$primary"

  if [[ ! -f "$standby/data/PG_VERSION" ]]; then
    # -R writes standby.signal and a primary_conninfo made of this connection's settings,
    # application_name included; -C -S keeps the primary's WAL until the standby has it.
    if ! as_owner "$pg_bin/pg_basebackup" -D "$standby/data" -R -X stream -C -S "$standby_name" \
      -d "host=$(conn_value "$primary") user=$db_user application_name=$standby_name" \
      --no-sync >"$standby/basebackup.log" 2>&1; then
      cat "$standby/basebackup.log" >&2
      echo "pg: pg_basebackup failed" >&2
      exit 1
    fi
    rm -f -- "$standby/basebackup.log"
  fi
  # A hot standby needs at least the primary's max_wal_senders.
  start_server "$standby" "-c max_wal_senders=4 -c hot_standby=on"
  wait_accepting "$standby"
  wait_synchronous

  create_and_migrate "$primary"
}

kill_primary() {
  local pid i
  if ! pid="$(live_postmaster "$primary")"; then
    echo "pg: no primary server runs in $primary" >&2
    exit 1
  fi
  kill -9 "$pid"
  for ((i = 0; i < 600; i++)); do
    live_postmaster "$primary" >/dev/null || return 0
    sleep 0.1
  done
  echo "pg: the primary's postmaster ($pid) is still there 60 s after SIGKILL" >&2
  exit 1
}

promote() {
  if ! is_running "$standby"; then
    echo "pg: no standby server runs in $standby" >&2
    exit 1
  fi
  if [[ -f "$standby/data/standby.signal" ]]; then
    as_owner "$pg_bin/pg_ctl" -D "$standby/data" -w -t 60 promote >/dev/null
  fi
  local i conn
  conn="host=$(conn_value "$standby") user=$db_user dbname=postgres target_session_attrs=read-write"
  for ((i = 0; i < 300; i++)); do
    "$pg_bin/psql" -X -q -At -d "$conn" -c "select 1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "pg: the standby at $standby does not accept writes 60 s after promotion" >&2
  exit 1
}

# Each of the two is stopped whatever became of the other; a killed primary counts as stopped.
stop_replicated() {
  local c failed=0
  for c in "$primary" "$standby"; do
    live_postmaster "$c" >/dev/null || continue
    if ! as_owner "$pg_bin/pg_ctl" -D "$c/data" -m fast -w -t 60 stop >/dev/null; then
      echo "pg: cannot stop the server in $c (log: $c/log)" >&2
      failed=1
    fi
  done
  return "$failed"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  status) status ;;
  start-replicated) start_replicated ;;
  url-replicated) url_replicated ;;
  kill-primary) kill_primary ;;
  promote) promote ;;
  stop-replicated) stop_replicated ;;
  *) usage ;;
esac
