-- $1 merchant_id, $2 evidence_id. The expired file's bytes are all deleted.
UPDATE claim_evidence
   SET purge_pending = false
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid;
