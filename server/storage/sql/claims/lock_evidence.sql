-- $1 merchant_id, $2 evidence_id, $3 claim_id. Locks an upload of the claim.
SELECT state, received_bytes, content_type, blob_store
  FROM claim_evidence
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid AND claim_id = $3::uuid
   FOR UPDATE;
