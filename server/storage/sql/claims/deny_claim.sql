-- $1 merchant_id, $2 claim_id, $3 reason. A person denied the claim: final; its units are no
-- longer covered (a return of them becomes possible again).
WITH denied AS (
    UPDATE claims
       SET state = 'DENIED', decision_note = $3, review_reasons = '[]', resolve_time = now(),
           version = version + 1, update_time = now()
     WHERE merchant_id = $1::uuid AND claim_id = $2::uuid
 RETURNING merchant_id, claim_id, order_id
)
UPDATE order_lines ol
   SET claimed_quantity = ol.claimed_quantity - cl.quantity,
       taken_paid_minor = greatest(ol.taken_paid_minor - coalesce(cl.paid_minor, 0), 0),
       taken_tax_minor = greatest(ol.taken_tax_minor - coalesce(cl.tax_minor, 0), 0)
  FROM denied d
  JOIN claim_lines cl ON cl.merchant_id = d.merchant_id AND cl.claim_id = d.claim_id
 WHERE ol.merchant_id = d.merchant_id AND ol.order_id = d.order_id
   AND ol.line_id = cl.order_line_id;
