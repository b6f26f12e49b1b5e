-- $1 merchant_id, $2 claim_id, $3 refund_minor (0 for a reship). The reship shipped or the refund
-- was requested: final.
UPDATE claims
   SET state = 'RESOLVED', refund_minor = $3, resolve_time = now(), version = version + 1,
       update_time = now()
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid AND state = 'APPROVED';
