# Shared by the bash scripts (source it): where the database is, and which psql to run.

# The database a script works on: its --database-url ($1, may be empty), else
# $USYNYS_DATABASE_URL, else database.url of config/usynys.json when set, else the private
# cluster of scripts/run (${USYNYS_DATA_DIR:-<repo>/var/pg}). Prints the connection string.
usynys_database_url() {
  local given="${1:-}" repo
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [[ -n "$given" ]]; then
    printf '%s\n' "$given"
  elif [[ -n "${USYNYS_DATABASE_URL:-}" ]]; then
    printf '%s\n' "$USYNYS_DATABASE_URL"
  else
    local from_config=""
    if [[ -f "$repo/config/usynys.json" ]]; then
      from_config="$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1])).get("database", {}).get("url", "").replace("\n", " "))' \
        "$repo/config/usynys.json" 2>/dev/null || true)"
    fi
    if [[ -n "$from_config" ]]; then
      printf '%s\n' "$from_config"
    else
      "$repo/scripts/pg.sh" url "${USYNYS_DATA_DIR:-$repo/var/pg}"
    fi
  fi
}

# PostgreSQL 15's psql where Debian installs it, else the one on PATH.
usynys_psql() {
  if [[ -x /usr/lib/postgresql/15/bin/psql ]]; then
    echo /usr/lib/postgresql/15/bin/psql
  else
    echo psql
  fi
}
