#!/usr/bin/env bash
# pg-local.sh: a throw-away PostgreSQL server for developers and CI (issue 12).
#
#   scripts/pg-local.sh start [DIR]   initdb into DIR (default: a new temporary folder), start
#                                     the server and print its URL on stdout (the folder on
#                                     stderr); the cluster lives until 'stop'
#   scripts/pg-local.sh stop DIR      stop that server and remove DIR
#   scripts/pg-local.sh run CMD...    start one, run CMD with PAYOUT_TEST_POSTGRES set to its
#                                     URL, stop it and remove it when CMD ends (or is killed)
#
# The server runs as an unprivileged account (PostgreSQL refuses root): the caller's own, or,
# when run as root, PG_LOCAL_USER (default payout-pg, created as a system account without a
# login shell if missing). It listens on a Unix socket inside DIR and on 127.0.0.1 only, on a
# free port; the superuser payout_admin has a random password (SCRAM) written into the URL
# and nowhere else but DIR/pwfile (mode 0600). PG_LOCAL_FAST=1 turns fsync off: right for
# tests, wrong for the benchmark's figures. Needs Debian's postgresql package (binaries under
# /usr/lib/postgresql/*/bin) or initdb and pg_ctl on PATH.
set -euo pipefail

die() { echo "pg-local: $*" >&2; exit 1; }

pg_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server found (apt-get install postgresql)"
  echo "$d"
}

# as_owner runs a command as the account that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

owner_account() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  local u=${PG_LOCAL_USER:-payout-pg}
  if ! id "$u" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$u" >/dev/null
  fi
  echo "$u"
}

start() {
  local dir=${1:-}
  BIN=$(pg_bin)
  PG_USER=$(owner_account)
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/payout-pg.XXXXXX")
  else
    mkdir -p "$dir"
  fi
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  chmod 0700 "$dir"
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$dir"
  local pw
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  (umask 077; printf '%s\n' "$pw" >"$dir/pwfile")
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$dir/pwfile"
  as_owner "$BIN/initdb" -D "$dir/data" -U payout_admin --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=200"
  if [ "${PG_LOCAL_FAST:-}" = 1 ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  local port tries=0
  while :; do
    port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$opts -c port=$port" start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    [ "$tries" -lt 5 ] || { tail -20 "$dir/server.log" >&2 || true; die "the server did not start"; }
  done
  echo "$port" >"$dir/port"
  echo "pg-local: cluster in $dir (owner $PG_USER, port $port)" >&2
  echo "postgres://payout_admin:$pw@127.0.0.1:$port/postgres?sslmode=disable"
}

stop() {
  local dir=${1:?stop needs the cluster folder}
  [ -d "$dir/data" ] || die "$dir holds no cluster"
  # Nothing to say from here on: the caller's output may be gone (… | head).
  exec >/dev/null 2>&1
  set +e # stop what can be stopped, whatever fails on the way
  BIN=$(pg_bin)
  PG_USER=$(stat -c %U "$dir/data")
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "${1:-}" ;;
  stop) shift; stop "${1:-}" ;;
  run)
    shift
    [ $# -gt 0 ] || die "run needs a command"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/payout-pg.XXXXXX")
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM HUP
    # A reader that goes away (… | head) must not kill this script before its
    # EXIT trap stops the server: a write to it fails instead.
    trap '' PIPE
    PAYOUT_TEST_POSTGRES=$(start "$dir")
    export PAYOUT_TEST_POSTGRES
    "$@"
    ;;
  *) die "usage: pg-local.sh start [DIR] | stop DIR | run CMD..." ;;
esac
