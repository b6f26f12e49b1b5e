#!/usr/bin/env bash
# Debian's PgBouncer in transaction pooling mode in front of a PostgreSQL URL, in a folder of its
# own, run as an unprivileged user (it refuses root) - for the suite's run through a pooler and
# for trying it by hand (docs/scaling.md).
#
#   deploy/pgbouncer-local.sh start UPSTREAM_URL   start it; print the pooled URL (same user and
#                                                  database, PgBouncer's port)
#   deploy/pgbouncer-local.sh stop                 stop it
#
# Settings (environment):
#   RETURNS_PGBOUNCER_DIR  its folder             (default: <repo>/.local/pgbouncer)
#   RETURNS_PG_USER        system user to run as  (default: postgres)
# It trusts local TCP connections, like deploy/pg-local.sh's cluster: for development and tests.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${RETURNS_PGBOUNCER_DIR:-$repo/.local/pgbouncer}
user=${RETURNS_PG_USER:-postgres}
die() { echo "pgbouncer-local: $*" >&2; exit 1; }
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || die "pgbouncer not installed; run deploy/install-deps.sh"
as_user() { if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }
pick_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! ss -Htan "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

case "${1:-}" in
  start)
    upstream=${2:?usage: pgbouncer-local.sh start UPSTREAM_URL}
    # postgresql://USER@HOST:PORT/DB
    rest=${upstream#postgresql://}
    db_user=${rest%%@*}; rest=${rest#*@}
    hostport=${rest%%/*}; db=${rest#*/}; db=${db%%\?*}
    host=${hostport%%:*}; upstream_port=${hostport##*:}
    mkdir -p "$dir"; chown "$user" "$dir"; chmod 700 "$dir"
    port=$(pick_free_port)
    printf '"%s" ""\n' "$db_user" >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=$host port=$upstream_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = $db_user
pool_mode = transaction
default_pool_size = 8
max_client_conn = 500
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    chown "$user" "$dir"/*
    as_user /usr/sbin/pgbouncer -d "$dir/pgbouncer.ini" || { cat "$dir/pgbouncer.log" >&2 2>/dev/null; die "did not start"; }
    for _ in $(seq 1 50); do
      ss -Htln "sport = :$port" | grep -q . && break
      sleep 0.1
    done
    echo "postgresql://$db_user@127.0.0.1:$port/$db"
    ;;
  stop)
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    ;;
  *)
    echo "usage: $0 start UPSTREAM_URL | stop" >&2; exit 2 ;;
esac
