#!/usr/bin/env bash
# Applies schema/migrations/NNNN_*.sql in lexical order to a PostgreSQL database.
# Usage: scripts/migrate.sh [CONNSTRING]   (default: $USYNYS_DATABASE_URL)
# Each file runs in its own transaction together with its row in
# schema_migrations; files already recorded there are skipped.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
migrations="$repo/schema/migrations"

conn="${1:-${USYNYS_DATABASE_URL:-}}"
if [[ -z "$conn" ]]; then
  echo "usage: $0 CONNSTRING (or set USYNYS_DATABASE_URL)" >&2
  exit 2
fi

# shellcheck source=lib/common.sh
. "$repo/scripts/lib/common.sh"
psql_bin="$(usynys_psql)"
psql=("$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$conn")

"${psql[@]}" -c "set client_min_messages = warning;
create table if not exists schema_migrations (
  version text primary key,
  applied_at timestamptz not null default now()
)"

declare -A applied=()
while IFS= read -r version; do
  [[ -n "$version" ]] && applied["$version"]=1
done < <("${psql[@]}" -At -c "select version from schema_migrations")

files=()
if [[ -d "$migrations" ]]; then
  mapfile -t files < <(
    find "$migrations" -maxdepth 1 -type f -name '*.sql' -printf '%f\n' | LC_ALL=C sort
  )
fi

for name in "${files[@]}"; do
  if [[ ! "$name" =~ ^[0-9]{4}_.+\.sql$ ]]; then
    echo "migrate: ignoring $name (not NNNN_*.sql)" >&2
    continue
  fi
  [[ -n "${applied[$name]:-}" ]] && continue
  # Query results go to /dev/null; errors and \echo still show.
  if ! "${psql[@]}" --single-transaction -o /dev/null \
    -f "$migrations/$name" \
    -c "insert into schema_migrations (version) values ('${name//\'/\'\'}')"; then
    echo "migrate: failed $name (rolled back)" >&2
    exit 1
  fi
  echo "migrate: applied $name"
done
