-- $1 merchant_id, $2 evidence_id, $3 byte_offset, $4 data (hex). One chunk of a file
-- (integrations/postgres_blob_store.cc).
INSERT INTO claim_evidence_chunks (merchant_id, evidence_id, byte_offset, data)
VALUES ($1::uuid, $2::uuid, $3, decode($4, 'hex'));
