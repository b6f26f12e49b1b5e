#!/usr/bin/env bash
# The deployment artefacts, checked on this machine (no container runtime or cluster here):
#  1. the systemd unit passes `systemd-analyze verify` (its ExecStart pointed at the built binary);
#  2. every shared library the built returnsd and returnsctl load comes from the runtime image's
#     packages (deploy/docker/runtime-packages.txt) or their dependencies, and every path the
#     Dockerfile copies exists - the build stage runs deploy/install-deps.sh and deploy/build.sh,
#     which CI runs from a fresh clone;
#  3. the compose file and the Kubernetes manifests parse and hold what they promise
#     (tests/deploy/check_manifests.py).
#   tests/deploy/check_deploy.sh BUILD_DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deploy: $*" >&2; exit 1; }

# 1. systemd
sed "s|/usr/local/bin/returnsd|$build/server/returnsd|" "$repo/deploy/systemd/returnsd.service" >"$work/returnsd.service"
# verify reports unknown users and missing files of the host; the unit's own errors are what count.
out=$(systemd-analyze verify "$work/returnsd.service" 2>&1 || true)
echo "$out" | grep -v -e "Failed to resolve user" -e "Failed to resolve group" -e "/etc/returns/" \
  -e "^$" >"$work/verify.txt" || true
if [ -s "$work/verify.txt" ]; then cat "$work/verify.txt" >&2; fail "systemd-analyze verify found problems"; fi
echo "systemd unit: verified"

# 2. the runtime image's libraries: its install step resolves (apt's simulation), and it covers
# every library the binaries load
packages=$(grep -v '^#' "$repo/deploy/docker/runtime-packages.txt")
apt-get install -s --no-install-recommends $packages >"$work/apt.txt" 2>&1 \
  || { cat "$work/apt.txt" >&2; fail "the runtime image's apt-get install would fail"; }
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $packages 2>/dev/null | grep -v '^ ' | sed 's/:any$//' | sort -u)
for binary in "$build/server/returnsd" "$build/client/returnsctl"; do
  for lib in $(ldd "$binary" | awk '/=>/ {print $3}'); do
    pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -n "$pkg" ] || pkg=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -n "$pkg" ] || fail "$lib (loaded by $(basename "$binary")) belongs to no package"
    # A here-string, not echo | grep -q: grep stops at its match, and with pipefail the writer's
    # SIGPIPE (the closure is larger than a pipe's buffer) would read as "not installed".
    grep -qx "$pkg" <<<"$closure" || fail "$lib comes from $pkg, which the runtime image does not install"
  done
done
for path in deploy/install-deps.sh deploy/build.sh deploy/docker/runtime-packages.txt; do
  [ -e "$repo/$path" ] || fail "the Dockerfile copies $path, which does not exist"
done
grep -q "bash deploy/build.sh returnsd returnsctl" "$repo/deploy/docker/Dockerfile" || fail "the Dockerfile no longer builds with deploy/build.sh"
echo "runtime image: every library of returnsd and returnsctl is installed"

# 3. compose and Kubernetes
python3 "$repo/tests/deploy/check_manifests.py" "$repo"
