#!/usr/bin/env bash
# README command 2: installs what is needed, builds, runs the whole test suite, checks the style
# (clang-format, clang-tidy), then runs the unit, integration, e2e and fault tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
# The suite starts its own throwaway PostgreSQL cluster (tests/test_services.sh); nothing needs to
# be running beforehand.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bash deploy/install-deps.sh
bash deploy/build.sh
(cd build && ctest -j 4 --output-on-failure --timeout 600)
# The style: clang-format and clang-tidy (.clang-format, .clang-tidy) on the project's own code.
bash deploy/check_style.sh
# Then the unit, integration and e2e tests and the reduced fault run again, under AddressSanitizer
# and UndefinedBehaviorSanitizer (a second build folder).
bash deploy/sanitize.sh
