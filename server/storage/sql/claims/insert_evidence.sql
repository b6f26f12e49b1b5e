-- $1 merchant_id, $2 claim_id, $3 file_name, $4 content_type (sniffed from the first chunk),
-- $5 blob_store. A new upload; its bytes follow through the blob store.
INSERT INTO claim_evidence (merchant_id, claim_id, file_name, content_type, state, blob_store)
VALUES ($1::uuid, $2::uuid, $3, $4, 'UPLOADING', $5)
RETURNING evidence_id::text;
