-- $1 merchant_id, $2 evidence_id, $3 the most chunks to delete. Deletes a file's first chunks
-- (integrations/postgres_blob_store.cc); fewer than $3 deleted means none is left.
DELETE FROM claim_evidence_chunks
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid
   AND byte_offset IN (SELECT byte_offset
                         FROM claim_evidence_chunks
                        WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid
                        ORDER BY byte_offset
                        LIMIT $3);
