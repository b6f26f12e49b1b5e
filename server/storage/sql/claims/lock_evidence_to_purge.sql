-- $1 blob store name, $2 limit. Expired files of any merchant whose bytes are still in this
-- server's blob store, locked; rows another replica's sweeper holds are skipped.
SELECT merchant_id::text, evidence_id::text
  FROM claim_evidence
 WHERE purge_pending AND blob_store = $1
 LIMIT $2
   FOR UPDATE SKIP LOCKED;
