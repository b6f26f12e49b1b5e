-- $1 merchant_id, $2 return_id. The return's tokens whose replacement went out and whose
-- original is awaited, locked: what a scan or a receipt of the original moves. never_scanned
-- says whether the original was never scanned before (no transit deadline yet).
SELECT exchange_token_id::text, state, order_line_id, order_id,
       transit_deadline IS NULL AS never_scanned
  FROM exchange_tokens
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
   AND state IN ('REDEEMED', 'IN_TRANSIT', 'CHARGE_DUE', 'CHARGED', 'CHARGE_FAILED')
 ORDER BY exchange_token_id
   FOR UPDATE;
