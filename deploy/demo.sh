#!/usr/bin/env bash
# README command 1: installs what is needed, builds, starts the embedded PostgreSQL cluster in
# .local/pg, applies migrations, creates a demo merchant, starts returnsd on 127.0.0.1:50051,
# and walks a short story through returnsctl: an order and stock are synced, a return for an
# exchange is opened, an instant-exchange token issued and redeemed, a refund return opened and
# cancelled, and the order's timeline printed. returnsd keeps running; `bash deploy/demo.sh stop` stops it all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
state=$repo/.local
addr=${RETURNS_ADDR:-127.0.0.1:50051}

stop_server() {
  if [ -f "$state/returnsd.pid" ]; then
    kill -TERM "$(cat "$state/returnsd.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$state/returnsd.pid")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$state/returnsd.pid"
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop_server
  bash deploy/pg-local.sh stop
  echo "stopped returnsd and PostgreSQL"
  exit 0
fi

bash deploy/install-deps.sh
bash deploy/build.sh
mkdir -p "$state"

export RETURNS_DATABASE_URL=$(bash deploy/pg-local.sh start)
echo "PostgreSQL: $RETURNS_DATABASE_URL"
./build/server/returnsd migrate

stop_server
./build/server/returnsd --listen "$addr" >"$state/returnsd.log" 2>&1 &
echo $! > "$state/returnsd.pid"
for _ in $(seq 1 100); do
  grep -q '"msg":"listening"' "$state/returnsd.log" 2>/dev/null && break
  kill -0 "$(cat "$state/returnsd.pid")" 2>/dev/null || { cat "$state/returnsd.log"; exit 1; }
  sleep 0.1
done
echo "returnsd: listening on $addr (logs: .local/returnsd.log)"

ctl=./build/client/returnsctl
export RETURNS_ADDR=$addr
if [ ! -s "$state/storefront_key" ]; then
  echo; echo "\$ returnsd create-merchant --name \"Demo Shop\" --operator    # the operator bootstraps"
  ./build/server/returnsd create-merchant --name "Demo Shop" --operator > "$state/merchant.txt"
  sed 's/\(admin_key: rk_[0-9a-f]*_\).*/\1<secret, kept in .local\/merchant.txt>/' "$state/merchant.txt"
  awk '/^merchant_id:/ {print $2}' "$state/merchant.txt" > "$state/merchant_id"
  awk '/^admin_key:/ {print $2}' "$state/merchant.txt" > "$state/admin_key"
  echo; echo "\$ returnsctl key create --role STOREFRONT --name demo-storefront    # with the ADMIN key"
  RETURNS_API_KEY=$(cat "$state/admin_key") $ctl key create --role STOREFRONT --name demo-storefront \
    > "$state/storefront.txt"
  sed 's/\(key: rk_[0-9a-f]*_\).*/\1<secret, kept in .local\/storefront_key>/' "$state/storefront.txt"
  awk '/^key:/ {print $2}' "$state/storefront.txt" > "$state/storefront_key"
  chmod 600 "$state"/*key* "$state/merchant.txt" "$state/storefront.txt"
fi
# The storefront's calls below use its STOREFRONT key.
export RETURNS_API_KEY=$(cat "$state/storefront_key")
echo "merchant: $(cat "$state/merchant_id")"

order_id="demo-$(date +%s)"
delivered=$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)
ordered=$(date -u -d '8 days ago' +%Y-%m-%dT%H:%M:%SZ)
echo; echo "\$ returnsctl order upsert --file -    # the storefront syncs a delivered order"
$ctl order upsert --file - <<JSON
{"orderId": "$order_id", "customerId": "cust-42", "customerEmail": "ada@example.com",
 "currencyCode": "EUR", "orderTime": "$ordered", "deliveredTime": "$delivered",
 "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "countryCode": "DE"},
 "lines": [
   {"lineId": "L1", "sku": "TEE-BLUE-S", "title": "Blue tee", "variantAttributes": {"size": "S"},
    "quantity": 2, "unitPrice": {"currencyCode": "EUR", "amountMinor": "2500"}},
   {"lineId": "L2", "sku": "CAP-RED", "title": "Red cap", "quantity": 1,
    "unitPrice": {"currencyCode": "EUR", "amountMinor": "1500"}}]}
JSON

echo; echo "\$ returnsctl inventory set --sku TEE-BLUE-M --on-hand 10 --price-minor 2500    # stock for exchanges"
$ctl inventory set --sku TEE-BLUE-M --on-hand 10 --price-minor 2500

echo; echo "\$ returnsctl return create --order $order_id --line L1:1:TOO_SMALL:EXCHANGE:TEE-BLUE-M"
exchange_id=$($ctl --json return create --order "$order_id" --line L1:1:TOO_SMALL:EXCHANGE:TEE-BLUE-M \
  | sed -n 's/.*"return_id": "\([^"]*\)".*/\1/p' | head -n 1)
$ctl return get "$exchange_id"

echo; echo "\$ returnsctl token issue --return $exchange_id --line L1    # instant exchange"
token_out=$($ctl token issue --return "$exchange_id" --line L1)
echo "$token_out" | sed 's/^token: \(xt1\.[a-z0-9]*\.\).*/token: \1<secret, handed to the customer>/'
token=$(echo "$token_out" | awk '/^token:/ {print $2}')

echo; echo "\$ returnsctl token redeem <token>    # the replacement ships before the original is back"
$ctl token redeem "$token"
$ctl inventory get TEE-BLUE-M

echo; echo "\$ returnsctl return create --order $order_id --line L2:1:CHANGED_MIND:REFUND"
$ctl --request-id "demo-refund-$order_id" return create --order "$order_id" --line L2:1:CHANGED_MIND:REFUND
refund_id=$($ctl --json --request-id "demo-refund-$order_id" return create --order "$order_id" \
  --line L2:1:CHANGED_MIND:REFUND | sed -n 's/.*"return_id": "\([^"]*\)".*/\1/p')
echo "(the same request_id sent again answers the same return: $refund_id)"

echo; echo "\$ returnsctl return cancel $refund_id --reason \"customer kept it\""
$ctl return cancel "$refund_id" --reason "customer kept it"

echo; echo "\$ returnsctl return create --order $order_id --line L1:5:TOO_SMALL:REFUND   # more than bought"
$ctl return create --order "$order_id" --line L1:5:TOO_SMALL:REFUND || true

echo; echo "\$ returnsctl timeline $order_id"
$ctl timeline "$order_id"

echo
echo "returnsd keeps running on $addr. Try:"
echo "  export RETURNS_ADDR=$addr RETURNS_API_KEY=\$(cat .local/storefront_key)"
echo "  ./build/client/returnsctl return list --order $order_id"
echo "Stop everything with: bash deploy/demo.sh stop"
