-- $1 merchant_id, $2 limit. The merchant's tokens whose original is overdue, by the database's
-- clock, and whose replacement has shipped (its outbound shipment left REQUESTED), locked with
-- SKIP LOCKED:
--  - REDEEMED past the charge deadline (no carrier scan of the original);
--  - IN_TRANSIT past the transit deadline while the return parcel is still in transit (scanned,
--    never delivered nor received).
SELECT t.exchange_token_id::text, t.state
  FROM exchange_tokens t
  JOIN shipments s ON s.merchant_id = t.merchant_id AND s.shipment_id = t.outbound_shipment_id
  JOIN returns r ON r.merchant_id = t.merchant_id AND r.return_id = t.return_id
 WHERE t.merchant_id = $1::uuid
   AND ((t.state = 'REDEEMED' AND t.charge_deadline <= now())
        OR (t.state = 'IN_TRANSIT' AND t.transit_deadline <= now() AND r.state = 'IN_TRANSIT'))
   AND s.state NOT IN ('REQUESTED', 'VOIDED')
 ORDER BY t.exchange_token_id
 LIMIT $2
   FOR UPDATE OF t SKIP LOCKED;
