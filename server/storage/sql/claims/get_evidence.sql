-- $1 merchant_id, $2 evidence_id. One evidence file's metadata (storage/claim_store.h GetEvidence).
SELECT evidence_id::text, claim_id::text, file_name, content_type, state, received_bytes, sha256,
       assessment_label, assessment_confidence_milli, assessment_model,
       epoch_us(create_time) AS create_time_us, blob_store
  FROM claim_evidence
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid;
