#!/usr/bin/env bash
# Installs the Debian packages needed to build, run, test or benchmark usynys.
# Usage: scripts/deps.sh [build|run|test|bench]   (default: build)
# Only missing packages are installed; prints nothing when all are present.
set -euo pipefail

mode="${1:-build}"

base_pkgs=(
  build-essential cmake pkg-config
  libboost1.81-dev libboost-test1.81-dev
  libpqxx-dev libpq-dev nlohmann-json3-dev libicu-dev libstemmer-dev libssl-dev prometheus-cpp-dev
  libzip-dev zlib1g-dev libexpat1-dev libsystemd-dev
  postgresql-15 postgresql-client-15
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  python3 curl
)
# The nightly report (Python, Jinja2, gnuplot) runs wherever the service runs.
report_pkgs=(python3-psycopg2 python3-jinja2 gnuplot-nox fonts-dejavu-core)
test_pkgs=("${report_pkgs[@]}" chromium dpkg-dev systemd prometheus)
bench_pkgs=("${report_pkgs[@]}" wrk postgresql-contrib nginx-light)

case "$mode" in
  build) pkgs=("${base_pkgs[@]}") ;;
  run) pkgs=("${base_pkgs[@]}" "${report_pkgs[@]}") ;;
  test) pkgs=("${base_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) pkgs=("${base_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *)
    echo "usage: $0 [build|run|test|bench]" >&2
    exit 2
    ;;
esac

# The console's browser tests run under Node.js and npm; a machine that has them from elsewhere
# (a newer Node.js than Debian's) keeps its own.
if [[ "$mode" == test ]] && ! command -v npm >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
fi

missing=()
for pkg in "${pkgs[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != *" ok installed" ]]; then
    missing+=("$pkg")
  fi
done

((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "deps: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -qq -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get "${apt_opts[@]}" install "${missing[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "deps: apt-get install failed" >&2
  exit 1
fi
