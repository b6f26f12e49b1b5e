-- $1 merchant_id, $2 evidence_id, $3 sha256, $4 assessment label, $5 confidence (thousandths),
-- $6 model version. The last chunk arrived.
UPDATE claim_evidence
   SET state = 'COMPLETE', sha256 = $3, assessment_label = $4, assessment_confidence_milli = $5,
       assessment_model = $6, complete_time = now()
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid;
