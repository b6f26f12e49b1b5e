#!/usr/bin/env bash
# README command 1: installs what is needed, builds, starts the embedded PostgreSQL cluster in
# .local/pg, applies migrations, creates a demo merchant, starts returnsd on 127.0.0.1:50051,
# and walks the whole journey through returnsctl with the sandbox carrier: an order (discounted,
# taxed, with shipping, paid with a gift card and a card; docs/money.md) and stock are synced; a
# return for an exchange is opened, an instant-exchange token issued and redeemed, the warehouse
# ships the replacement; an agent approves the return, its label is issued and downloaded, the
# sandbox carrier scans and delivers the parcel, the warehouse receives it and the exchange
# settles; a refund return takes the same road and ends with a refund of what was paid, split
# over the gift card and the card, requested from the payment system as a money movement that
# the payment system reports SUCCEEDED; a store-credit return earns the policy's bonus credit,
# its decision in the audit log; the order's parcel arrives damaged and a claim
# with a photo is approved by the rules and reshipped, its decision in the audit log; the change
# feed and the order's timeline close it. returnsd keeps running; `bash deploy/demo.sh stop`
# stops it all.
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
bash deploy/build.sh returnsd returnsctl  # only what the demo runs, not the tests and fuzzers
mkdir -p "$state"

export RETURNS_DATABASE_URL=$(bash deploy/pg-local.sh start)
echo "PostgreSQL: $RETURNS_DATABASE_URL"
./build/server/returnsd migrate

stop_server
# The key that seals merchants' secrets (webhook signing secrets) at rest: made once, kept in
# .local (a real installation names its own, from a secret store: docs/integrations.md).
[ -s "$state/secret_keys" ] || (umask 077; echo "demo1:$(openssl rand -hex 32)" > "$state/secret_keys")
RETURNS_SECRET_KEYS=$(cat "$state/secret_keys") \
  ./build/server/returnsd --listen "$addr" --sandbox_damage_assessor >"$state/returnsd.log" 2>&1 &
echo $! > "$state/returnsd.pid"
for _ in $(seq 1 100); do
  # "ready": listening, and its database prepared (it listens before, saying NOT_SERVING)
  grep -q '"msg":"ready"' "$state/returnsd.log" 2>/dev/null && break
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
# A support agent's key and a carrier/warehouse key, once.
for role in SUPPORT CARRIER; do
  file=$state/$(echo "$role" | tr A-Z a-z)_key
  if [ ! -s "$file" ]; then
    RETURNS_API_KEY=$(cat "$state/admin_key") $ctl key create --role "$role" --name "demo-$role" \
      | awk '/^key:/ {print $2}' > "$file"
    chmod 600 "$file"
  fi
done
as_support() { RETURNS_API_KEY=$(cat "$state/support_key") $ctl "$@"; }
as_carrier() { RETURNS_API_KEY=$(cat "$state/carrier_key") $ctl "$@"; }
as_admin() { RETURNS_API_KEY=$(cat "$state/admin_key") $ctl "$@"; }
json_field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" | head -n 1; }
# Waits (up to 10 s) until the return's label is issued by its durable job; prints the shipment id.
wait_for_label() {
  for _ in $(seq 1 100); do
    id=$($ctl --json shipments list --return "$1" | tr -d '",' | awk '
      $1 == "shipment_id:" {id = $2} $1 == "direction:" {dir = $2}
      $1 == "state:" && dir == "SHIPMENT_DIRECTION_INBOUND" && $2 == "SHIPMENT_STATE_LABEL_CREATED" {print id}')
    if [ -n "$id" ]; then echo "$id"; return 0; fi
    sleep 0.1
  done
  echo "the label was not issued in time" >&2; return 1
}

# The storefront's calls below use its STOREFRONT key.
export RETURNS_API_KEY=$(cat "$state/storefront_key")
echo "merchant: $(cat "$state/merchant_id")"

order_id="demo-$(date +%s)"
delivered=$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)
ordered=$(date -u -d '8 days ago' +%Y-%m-%dT%H:%M:%SZ)
# What the customer paid (docs/money.md): net prices with 19 % VAT added (TAX_MODE_EXCLUSIVE,
# the storefront's tax rounded to the cent). The cap is on sale (3.00 off 15.00); the code SAVE5
# takes 5.00 off the order, split over the lines after their own discounts (50.00 and 12.00) by
# largest remainder: floors 4.03 and 0.96, the cent left to the cap (remainder 4800 of 6200
# against 1400), so 4.03 and 0.97 (the service computes the same split when the shares are left
# out; given here, `order ship` below sends the order back unchanged). Tee: 50.00 - 4.03 = 45.97
# + VAT 8.73 = 54.70; cap: 12.00 - 0.97 = 11.03 + VAT 2.10 = 13.13; shipping 4.95 + VAT 0.94 =
# 5.89; total 73.72, paid with a 10.00 gift card and 63.72 on a card.
echo; echo "\$ returnsctl order upsert --file -    # the storefront syncs a delivered order: what was paid, and how"
$ctl order upsert --file - <<JSON
{"orderId": "$order_id", "customerId": "cust-$order_id", "customerEmail": "ada@example.com",
 "currencyCode": "EUR", "orderTime": "$ordered", "deliveredTime": "$delivered",
 "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "countryCode": "DE"},
 "taxMode": "TAX_MODE_EXCLUSIVE",
 "lines": [
   {"lineId": "L1", "sku": "TEE-BLUE-S", "productId": "TEE-BLUE", "title": "Blue tee", "variantAttributes": {"size": "S"},
    "quantity": 2, "unitPrice": {"currencyCode": "EUR", "amountMinor": "2500"},
    "orderDiscountShare": {"currencyCode": "EUR", "amountMinor": "403"},
    "taxLines": [{"title": "VAT", "ratePpm": "190000", "amount": {"currencyCode": "EUR", "amountMinor": "873"}}]},
   {"lineId": "L2", "sku": "CAP-RED", "title": "Red cap", "quantity": 1,
    "unitPrice": {"currencyCode": "EUR", "amountMinor": "1500"},
    "lineDiscount": {"currencyCode": "EUR", "amountMinor": "300"},
    "orderDiscountShare": {"currencyCode": "EUR", "amountMinor": "97"},
    "taxLines": [{"title": "VAT", "ratePpm": "190000", "amount": {"currencyCode": "EUR", "amountMinor": "210"}}]}],
 "orderDiscount": {"currencyCode": "EUR", "amountMinor": "500"}, "discountCodes": ["SAVE5"],
 "shipping": {"currencyCode": "EUR", "amountMinor": "495"},
 "shippingTaxLines": [{"title": "VAT", "ratePpm": "190000", "amount": {"currencyCode": "EUR", "amountMinor": "94"}}],
 "payments": [
   {"paymentId": "gift-1", "kind": "TENDER_KIND_GIFT_CARD", "reference": "giftcard-$order_id",
    "amount": {"currencyCode": "EUR", "amountMinor": "1000"}},
   {"paymentId": "card-1", "kind": "TENDER_KIND_CARD", "reference": "psp-charge-$order_id",
    "amount": {"currencyCode": "EUR", "amountMinor": "6372"}}],
 "total": {"currencyCode": "EUR", "amountMinor": "7372"}}
JSON

echo; echo "\$ returnsctl inventory set --sku TEE-BLUE-M --on-hand 10 --price-minor 2500 --product TEE-BLUE --size M    # stock for exchanges"
$ctl inventory set --sku TEE-BLUE-M --on-hand 10 --price-minor 2500 --product TEE-BLUE --size M
$ctl inventory set --sku TEE-BLUE-L --on-hand 10 --price-minor 2500 --product TEE-BLUE --size L >/dev/null

echo; echo "\$ returnsctl return eligibility --order $order_id --reason TOO_SMALL    # what the customer may return, and what may fit"
$ctl return eligibility --order "$order_id" --reason TOO_SMALL
echo; echo "\$ returnsctl return preview --order $order_id --line L1:1:TOO_SMALL:EXCHANGE:TEE-BLUE-M    # what it would pay"
$ctl return preview --order "$order_id" --line L1:1:TOO_SMALL:EXCHANGE:TEE-BLUE-M
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

echo; echo "\$ returnsctl shipments list --order $order_id --json    # the replacement, requested from the warehouse"
outbound_id=$($ctl --json shipments list --order "$order_id" | json_field shipment_id)
$ctl shipments list --order "$order_id"
echo; echo "\$ returnsctl shipments confirm $outbound_id --carrier sandbox --tracking SBX-OUT-$order_id    # as the warehouse"
as_carrier shipments confirm "$outbound_id" --carrier sandbox --tracking "SBX-OUT-$order_id"

echo; echo "\$ returnsctl return approve $exchange_id --note \"looks fine\"    # a support agent"
as_support return approve "$exchange_id" --note "looks fine"
label_id=$(wait_for_label "$exchange_id")
echo; echo "\$ returnsctl label download $label_id -o .local/label.zpl    # the customer prints it"
$ctl label download "$label_id" -o "$state/label.zpl"
head -c 120 "$state/label.zpl"; echo " ..."

echo; echo "\$ returnsctl sandbox advance $label_id    # the carrier's first scan: the token goes IN_TRANSIT"
as_carrier sandbox advance "$label_id"
echo; echo "\$ returnsctl sandbox advance $label_id    # delivered to the warehouse"
as_carrier sandbox advance "$label_id"
echo; echo "\$ returnsctl sandbox advance $label_id    # the carrier sends it again: a duplicate, nothing moves"
as_carrier sandbox advance "$label_id"
echo; echo "\$ returnsctl sandbox advance $outbound_id    # meanwhile the replacement is on its way"
as_carrier sandbox advance "$outbound_id"

echo; echo "\$ returnsctl return receive $exchange_id --item L1:OK    # the warehouse inspects it"
as_carrier return receive "$exchange_id" --item L1:OK
$ctl token list --return "$exchange_id"

echo; echo "\$ returnsctl return create --order $order_id --line L2:1:CHANGED_MIND:REFUND"
$ctl --request-id "demo-refund-$order_id" return create --order "$order_id" --line L2:1:CHANGED_MIND:REFUND
refund_id=$($ctl --json --request-id "demo-refund-$order_id" return create --order "$order_id" \
  --line L2:1:CHANGED_MIND:REFUND | json_field return_id)
echo "(the same request_id sent again answers the same return: $refund_id)"
as_support return approve "$refund_id" >/dev/null
refund_label=$(wait_for_label "$refund_id")
as_carrier sandbox advance "$refund_label" >/dev/null
as_carrier sandbox advance "$refund_label" >/dev/null
echo; echo "\$ returnsctl return receive $refund_id --item L2:OK    # refund = what the cap paid (13.13) less the policy's fees (none by default)"
as_carrier return receive "$refund_id" --item L2:OK

# The refund is a money movement: the gift card first (its 10.00), the rest (3.13) to the card.
# The payment system reads it from the change feed, refunds with its idempotency key, and reports.
echo; echo "\$ returnsctl money list --order $order_id    # what the payment system is asked to move"
$ctl money list --order "$order_id"
movement_id=$($ctl --json money list --order "$order_id" | tr -d '",' | awk -v subject="returns/$refund_id" '
  $1 == "movement_id:" {id = $2} $1 == "subject:" && $2 == subject && found == "" {found = id}
  END {print found}')
echo; echo "\$ returnsctl money report $movement_id --outcome succeeded --reference psp-refund-$order_id    # as the payment system"
$ctl --request-id "demo-refund-outcome-$order_id" money report "$movement_id" --outcome succeeded \
  --reference "psp-refund-$order_id"
echo; echo "\$ returnsctl return get $refund_id    # its money: SETTLED"
$ctl return get "$refund_id"
echo; echo "\$ returnsctl order get $order_id    # the tenders: what was refunded to each, what still may be"
$ctl order get "$order_id"

# Bonus credit (docs/policy.md, "Bonus credit"): the merchant adds 5.00 plus 10 % of what a line
# paid when the customer takes store credit instead of a refund. The plan quotes it, the receipt
# in good condition gives it, and it is an audited decision a support agent could withdraw
# before then (returnsctl decisions override DECISION_ID --deny).
echo; echo "\$ returnsctl policy set store_credit_bonus=500 store_credit_bonus_basis_points=1000 --reason \"keep revenue\"    # the merchant's admin"
as_admin policy set store_credit_bonus=500 store_credit_bonus_basis_points=1000 \
  --reason "keep revenue" | head -n 1
bonus_order="$order_id-bonus"
$ctl order upsert --file - >/dev/null <<JSON
{"orderId": "$bonus_order", "customerId": "cust-$order_id", "currencyCode": "EUR",
 "orderTime": "$ordered", "deliveredTime": "$delivered",
 "lines": [{"lineId": "L1", "sku": "TEE-BLUE-S", "productId": "TEE-BLUE", "title": "Blue tee",
            "quantity": 1, "unitPrice": {"currencyCode": "EUR", "amountMinor": "2500"}}]}
JSON
echo; echo "\$ returnsctl return create --order $bonus_order --line L1:1:CHANGED_MIND:STORE_CREDIT    # 25.00 in credit, and 5.00 + 2.50 bonus"
bonus_id=$($ctl --json return create --order "$bonus_order" --line L1:1:CHANGED_MIND:STORE_CREDIT \
  | json_field return_id)
$ctl return get "$bonus_id" | sed -n '/^plan/,$p'
as_support return approve "$bonus_id" >/dev/null
bonus_label=$(wait_for_label "$bonus_id")
as_carrier sandbox advance "$bonus_label" >/dev/null
as_carrier sandbox advance "$bonus_label" >/dev/null
echo; echo "\$ returnsctl return receive $bonus_id --item L1:OK    # received OK: the credit and its bonus"
as_carrier return receive "$bonus_id" --item L1:OK | grep '^resolved'
echo; echo "\$ returnsctl decisions list --kind bonus_credit    # the bonus in the audit log"
as_support decisions list --kind bonus_credit --page-size 1
as_admin policy set store_credit_bonus=0 store_credit_bonus_basis_points=0 \
  --reason "end of the demo's bonus" >/dev/null

# Shipping protection: the order's parcel arrives damaged; a claim with a photo is approved by
# the merchant's rules and the item reshipped, with the decision in the audit log.
promised=$(date -u -d '4 days ago' +%Y-%m-%dT%H:%M:%SZ)
echo; echo "\$ returnsctl order ship --order $order_id --carrier sandbox --tracking SBX-FWD-$order_id --promise $promised --line L1:2 --line L2:1"
$ctl --request-id "demo-ship-$order_id" order ship --order "$order_id" --carrier sandbox \
  --tracking "SBX-FWD-$order_id" --promise "$promised" --line L1:2 --line L2:1
parcel_id=$($ctl --json shipments list --order "$order_id" | tr -d '",' | awk '
  $1 == "shipment_id:" {id = $2} $1 == "purpose:" && $2 == "SHIPMENT_PURPOSE_ORDER" {print id; exit}')
echo; echo "\$ returnsctl sandbox advance $parcel_id --to DELIVERED    # the carrier's delivery scan"
as_carrier sandbox advance "$parcel_id" --to DELIVERED
echo; echo "\$ returnsctl inventory set --sku TEE-BLUE-S --on-hand 5 --price-minor 2500    # stock to reship from"
$ctl inventory set --sku TEE-BLUE-S --on-hand 5 --price-minor 2500 >/dev/null
# A real (if small) photo: the server decodes every evidence file before accepting it.
photo=$state/damaged-tee.png
python3 - "$photo" <<'PY'
import struct, sys, zlib
w, h = 64, 48
rows = b"".join(b"\0" + bytes((x * 4 + y * 2) % 256 for x in range(w)) for y in range(h))
chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
echo; echo "\$ returnsctl claim file --order $order_id --type damaged --line L1:1 --photo .local/damaged-tee.png"
$ctl --request-id "demo-claim-$order_id" claim file --order "$order_id" --type damaged --line L1:1 \
  --description "the box was crushed and the tee torn" --photo "$photo"
claim_id=$($ctl --json claim list --order "$order_id" | json_field claim_id)
reship_id=$($ctl --json claim show "$claim_id" | tr -d '",[]' | awk '/reship_shipment_ids/ {getline; print $1; exit}')
[ -n "$reship_id" ] || reship_id=$($ctl --json claim show "$claim_id" | grep -A1 reship_shipment_ids | tail -n 1 | tr -d ' ",[]')
echo; echo "\$ returnsctl shipments confirm $reship_id --carrier sandbox --tracking SBX-RESHIP-$order_id    # the warehouse ships the replacement"
as_carrier shipments confirm "$reship_id" --carrier sandbox --tracking "SBX-RESHIP-$order_id" >/dev/null
$ctl claim show "$claim_id" | head -n 4
echo; echo "\$ returnsctl decisions list --kind claim_adjudication    # the audit log, as a support agent"
as_support decisions list --kind claim_adjudication --page-size 3

echo; echo "\$ returnsctl return create --order $order_id --line L1:5:TOO_SMALL:REFUND   # more than bought"
$ctl return create --order "$order_id" --line L1:5:TOO_SMALL:REFUND || true

echo; echo "\$ returnsctl events    # the change feed the payment system reads (last events)"
$ctl events | tail -n 8

echo; echo "\$ returnsctl timeline $order_id"
$ctl timeline "$order_id"

echo; echo "\$ returnsctl kpis --from $(date -u -d '6 days ago' +%F)    # what returns cost and how they go, as a support agent"
as_support kpis --from "$(date -u -d '6 days ago' +%F)"

echo
echo "returnsd keeps running on $addr. Try:"
echo "  export RETURNS_ADDR=$addr RETURNS_API_KEY=\$(cat .local/storefront_key)"
echo "  ./build/client/returnsctl return list --order $order_id"
echo "  ./build/client/returnsctl timeline $order_id --watch      # live; Ctrl-C to stop"
echo "  RETURNS_API_KEY=\$(cat .local/admin_key) ./build/client/returnsctl jobs list"
echo "  RETURNS_API_KEY=\$(cat .local/admin_key) ./build/client/returnsctl webhook create --url https://hooks.example.com/returns"
echo "Stop everything with: bash deploy/demo.sh stop"
