-- $1 merchant_id, $2 claim_id, $3 resolution, $4 decision_note. Approved; the resolution is
-- being carried out.
UPDATE claims
   SET state = 'APPROVED', resolution = $3, decision_note = $4, review_reasons = '[]',
       evidence_requested = false, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid;
