#!/usr/bin/env bash
# The project's style, checked as CI does (deploy/test.sh runs it after the build):
#   clang-format (.clang-format): every .cc and .h of server/, client/ and tests/ is formatted;
#   clang-tidy (.clang-tidy): every .cc of server/ and client/, with the build's compile commands
#   (build/compile_commands.json; run deploy/build.sh first). Warnings are errors.
# Usage: deploy/check_style.sh [--fix]   (--fix rewrites the files with clang-format instead)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

# Tracked and new project sources; generated code lives in the build folders, never here.
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- \
  'server/*.cc' 'server/*.h' 'client/*.cc' 'client/*.h' 'tests/*.cc' 'tests/*.h' | sort -u)

if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${sources[@]}"
  echo "check_style: formatted ${#sources[@]} files"
  exit 0
fi

echo "check_style: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

mapfile -t tidy_sources < <(printf '%s\n' "${sources[@]}" | grep -E '^(server|client)/.*\.cc$')
echo "check_style: clang-tidy on ${#tidy_sources[@]} files (2 at a time)"
start=$(date +%s)
printf '%s\n' "${tidy_sources[@]}" |
  xargs -P 2 -n 4 clang-tidy -p build --quiet 2>/dev/null
echo "check_style: clean ($(( $(date +%s) - start )) s of clang-tidy)"
