-- $1 idle seconds, $2 limit. Uploads of any merchant with no chunk for that long (by the
-- database's clock), with their claim's order, locked; rows another replica's sweeper or a chunk
-- in flight holds are skipped (a chunk that commits first moves last_chunk_time on).
SELECT e.merchant_id::text, e.evidence_id::text, e.claim_id::text, c.order_id, e.received_bytes
  FROM claim_evidence e
  JOIN claims c ON c.merchant_id = e.merchant_id AND c.claim_id = e.claim_id
 WHERE e.state = 'UPLOADING' AND e.last_chunk_time <= now() - make_interval(secs => $1::float8)
 ORDER BY e.last_chunk_time
 LIMIT $2
   FOR UPDATE OF e SKIP LOCKED;
