-- $1 merchant_id, $2 claim_id. The claim's files and their bytes so far, for the limits; an
-- expired upload no longer counts.
SELECT count(*)::integer AS file_count, coalesce(sum(received_bytes), 0)::bigint AS total_bytes
  FROM claim_evidence
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid AND state <> 'EXPIRED';
