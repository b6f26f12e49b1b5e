-- $1 limit. Merchants with a token the sweeper must move now, by the database's clock, under the
-- same conditions as claim_expired_tokens and claim_charge_due_tokens (so a merchant listed here
-- always has work): unredeemed past expire_time; redeemed past the charge deadline, or in transit
-- past the transit deadline, with the replacement shipped. Not locked: each merchant is then
-- swept in a transaction of its own, so one merchant's locks never hold up another's sweep.
SELECT merchant_id::text FROM exchange_tokens WHERE state = 'ISSUED' AND expire_time <= now()
UNION
SELECT t.merchant_id::text
  FROM exchange_tokens t
  JOIN shipments s ON s.merchant_id = t.merchant_id AND s.shipment_id = t.outbound_shipment_id
  JOIN returns r ON r.merchant_id = t.merchant_id AND r.return_id = t.return_id
 WHERE ((t.state = 'REDEEMED' AND t.charge_deadline <= now())
        OR (t.state = 'IN_TRANSIT' AND t.transit_deadline <= now() AND r.state = 'IN_TRANSIT'))
   AND s.state NOT IN ('REQUESTED', 'VOIDED')
LIMIT $1;
