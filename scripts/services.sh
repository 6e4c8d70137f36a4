#!/usr/bin/env bash
# What the test suite needs beside the venv: PostgreSQL (127.0.0.1:5432), MariaDB (:3306)
# and Redis (:6379) running, Debian's Chromium for the browser tests, Debian's Prometheus
# for the metrics test (tests/telemetry) and Debian's nginx as a caching proxy in front of
# the gateway (tests/e2e/test_downstream_cache.py). Starts or installs what is missing
# where this machine allows it, and otherwise says what to do.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
missing=()

start() {  # start NAME PORT COMMAND...
  local name=$1 port=$2
  shift 2
  port_open "$port" && return
  echo "services: starting $name (127.0.0.1:$port)"
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do port_open "$port" && return; sleep 1; done
  missing+=("$name is not running on 127.0.0.1:$port and could not be started")
}

postgres() {
  local version
  version=$(ls /etc/postgresql 2>/dev/null | head -n 1)
  [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start
}
redis() {
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/services.log
}

start PostgreSQL 5432 postgres
start MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start Redis 6379 redis

provide() {  # provide COMMAND PACKAGE WHAT: Debian's PACKAGE when COMMAND is missing
  local command=$1 package=$2 what=$3
  command -v "$command" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing Debian's $package for $what (once)"
    (apt-get install -y "$package" || (apt-get update && apt-get install -y "$package")) \
      >/dev/null 2>&1 </dev/null
  fi
  command -v "$command" >/dev/null || missing+=("$package is not installed")
}

provide chromium chromium "the browser tests (a few minutes)"
provide prometheus prometheus "the metrics test"
# not on PATH for every user: /usr/sbin
PATH="$PATH:/usr/sbin" provide nginx nginx-light "the caching-proxy test"

if [ ${#missing[@]} -gt 0 ]; then
  for line in "${missing[@]}"; do echo "services: $line" >&2; done
  cat >&2 <<'HELP'
services: the tests need them. On Debian, as root:
  apt-get install -y postgresql mariadb-server redis-server chromium prometheus nginx-light
then start the services (PostgreSQL with trust authentication for 127.0.0.1, MariaDB's root
without a password) and run `make test` again.
HELP
  exit 1
fi
