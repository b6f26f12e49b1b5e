#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing the service needs.
# Safe to run twice: apt-get skips what is already there.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # gRPC 1.51, Protobuf 3.21, Abseil 20220623 (+ health.proto from grpc-proto)
  libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev grpc-proto libabsl-dev
  # PostgreSQL client library and server (the embedded cluster runs the server binaries)
  libpqxx-dev libpq-dev postgresql postgresql-contrib
  # CLI parsing (returnsd subcommands, returnsctl) and JSON (logs, batched SQL parameters)
  libcli11-dev nlohmann-json3-dev
  # outbound HTTP: merchants' webhook endpoints (libcurl, OpenSSL flavour)
  libcurl4-openssl-dev
  # inbound HTTP: carriers' webhooks on --http_listen (cpp-httplib, TLS with OpenSSL 3)
  libcpp-httplib-dev
  # Prometheus metrics (counters, histograms, the /metrics HTTP endpoint)
  prometheus-cpp-dev
  # the connection pooler the suite runs returnsd behind (transaction pooling; docs/scaling.md)
  pgbouncer
  # evidence images are decoded before they are accepted (server/app/claims: image check)
  libjpeg62-turbo-dev libpng-dev libwebp-dev libheif-dev
  # TLS, tests (zlib: the tests write real PNG photos), fuzzing (clang's libFuzzer runtime)
  libssl-dev openssl libgtest-dev libgmock-dev zlib1g-dev clang libclang-rt-dev
  # the style checks CI runs (.clang-format, .clang-tidy; deploy/check_style.sh)
  clang-format clang-tidy

  # Node.js and npm: the storefront example (client/examples/node) the suite runs
  nodejs
  # process helpers used by scripts (runuser, pkill, ss); systemd-analyze and PyYAML check the
  # deployment artefacts (tests/deploy)
  util-linux procps iproute2 systemd python3-yaml
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
# Debian's own nodejs comes without npm (another package); a nodejs that bundles npm needs none.
command -v npm >/dev/null || apt-get install -y --no-install-recommends npm
