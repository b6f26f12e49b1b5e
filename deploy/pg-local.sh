#!/usr/bin/env bash
# An embedded PostgreSQL 15 cluster in a project-local folder, run as an unprivileged user
# (PostgreSQL refuses to run as root).
#
#   deploy/pg-local.sh start [--fresh]   init (if needed) and start the cluster, create the database,
#                                        print its URL
#   deploy/pg-local.sh stop [--immediate] stop the cluster (fast shutdown; --immediate: as a crash,
#                                        recovered at the next start)
#   deploy/pg-local.sh url               print the database URL
#
# Settings (environment):
#   RETURNS_PG_DIR   the cluster's folder   (default: <repo>/.local/pg, git-ignored)
#   RETURNS_PG_PORT  TCP port on 127.0.0.1  (default: 54329; "auto" picks a free one)
#   RETURNS_PG_DB    database to create     (default: returns)
#   RETURNS_PG_USER  system user to run as  (default: postgres, made by Debian's package)
# The cluster trusts local TCP connections: it is for development and tests, not production.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${RETURNS_PG_DIR:-$repo/.local/pg}
port=${RETURNS_PG_PORT:-54329}
db=${RETURNS_PG_DB:-returns}
user=${RETURNS_PG_USER:-postgres}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

die() { echo "pg-local: $*" >&2; exit 1; }
[ -n "$bin" ] || die "PostgreSQL server binaries not found; run deploy/install-deps.sh"
id "$user" >/dev/null 2>&1 || die "system user '$user' does not exist"

as_user() {
  if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

# Below Linux's ephemeral range (32768+), so no outgoing connection holds it; checked against
# every socket, not only listeners.
pick_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! ss -Htan "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# The unprivileged user must be able to reach the folder; a checkout under a private home is not.
prepare_dir() {
  mkdir -p "$dir"
  chown "$user" "$dir"
  chmod 700 "$dir"
  if ! as_user test -w "$dir"; then
    die "user '$user' cannot reach $dir (a parent folder is private); set RETURNS_PG_DIR to a folder it can reach, e.g. /var/tmp/returns-pg"
  fi
}

url_of() { echo "postgresql://$user@127.0.0.1:$1/$db"; }

cmd=${1:-}
case "$cmd" in
  start)
    if [ "${2:-}" = "--fresh" ] && [ -d "$dir" ]; then
      as_user "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    prepare_dir
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_user "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    if as_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      port=$(cat "$dir/port")
    else
      wanted=$port
      # A restarted cluster keeps its port, so URLs handed out before stay valid.
      [ "$wanted" = "auto" ] && [ -f "$dir/port" ] && wanted=$(cat "$dir/port")
      started=no
      for _ in 1 2 3 4 5; do
        port=$wanted
        [ "$port" = "auto" ] && port=$(pick_free_port)
        echo "$port" > "$dir/port"
        # TCP on loopback only; no Unix socket, so the folder's path length never matters.
        if as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" \
            start >/dev/null; then
          started=yes
          break
        fi
        # Only a port picked here may be traded for another; a chosen one is final.
        [ "$wanted" = "auto" ] || break
      done
      [ "$started" = yes ] || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    if ! as_user "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"
    fi
    url_of "$port" > "$dir/url"
    url_of "$port"
    ;;
  stop)
    mode=fast
    [ "${2:-}" = "--immediate" ] && mode=immediate
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_user "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    [ -f "$dir/url" ] || die "no cluster started in $dir"
    cat "$dir/url"
    ;;
  *)
    echo "usage: $0 start [--fresh] | stop [--immediate] | url" >&2
    exit 2
    ;;
esac
