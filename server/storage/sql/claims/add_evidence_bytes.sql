-- $1 merchant_id, $2 evidence_id, $3 bytes added. The upload grew now: its expiry starts again.
UPDATE claim_evidence
   SET received_bytes = received_bytes + $3, last_chunk_time = now()
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid;
