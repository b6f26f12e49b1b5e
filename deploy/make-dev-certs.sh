#!/usr/bin/env bash
# Makes a local CA and certificates for development and the tests (never for production):
#   DIR/ca.pem                      the CA (clients trust it; returnsd --tls_client_ca_file)
#   DIR/server.pem DIR/server.key   for returnsd, valid for localhost and 127.0.0.1
#   DIR/client.pem DIR/client.key   a client certificate for mutual TLS
# Usage: bash deploy/make-dev-certs.sh [DIR]   (default: .local/certs)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/.local/certs}
mkdir -p "$dir"
cd "$dir"
days=825
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days "$days" \
  -subj "/CN=returns development CA" 2>/dev/null

issue() {  # issue NAME CN EXTENSIONS
  openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf '%b' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" \
    -days "$days" -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
issue client "returns development client" "extendedKeyUsage=clientAuth\n"
chmod 600 ./*.key
echo "$dir"
