-- $1 merchant_id, $2 claim_id, $3 state, $4 review_reasons (JSON array), $5 decision_note,
-- $6 evidence_requested.
UPDATE claims
   SET state = $3, review_reasons = $4::jsonb, decision_note = $5, evidence_requested = $6,
       version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid;
