-- $1 merchant_id. The merchant's evidence as its quota counts it: uploads still open, and the
-- bytes of its files that are UPLOADING or COMPLETE (claim_evidence_by_merchant_state).
SELECT count(*) FILTER (WHERE state = 'UPLOADING')::integer AS open_uploads,
       coalesce(sum(received_bytes), 0)::bigint AS stored_bytes
  FROM claim_evidence
 WHERE merchant_id = $1::uuid AND state IN ('UPLOADING', 'COMPLETE');
