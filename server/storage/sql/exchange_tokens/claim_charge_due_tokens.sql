-- $1 now (µs), $2 limit. REDEEMED tokens past their charge deadline whose replacement has
-- shipped (its outbound shipment left REQUESTED), locked with SKIP LOCKED. A token whose original
-- was scanned is IN_TRANSIT, not REDEEMED, so it is never found here.
SELECT t.merchant_id::text, t.exchange_token_id::text
  FROM exchange_tokens t
  JOIN shipments s ON s.merchant_id = t.merchant_id AND s.shipment_id = t.outbound_shipment_id
 WHERE t.state = 'REDEEMED' AND t.charge_deadline <= from_epoch_us($1::bigint)
   AND s.state NOT IN ('REQUESTED', 'VOIDED')
 ORDER BY t.charge_deadline
 LIMIT $2
   FOR UPDATE OF t SKIP LOCKED;
