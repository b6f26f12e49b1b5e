-- $1 merchant_id, $2 evidence_id, $3 assessment label, $4 confidence (thousandths), $5 model
-- version. The damage assessor's answer about a complete photo, asked after its upload
-- (JOB_KIND_ASSESS_EVIDENCE).
UPDATE claim_evidence
   SET assessment_label = $3, assessment_confidence_milli = $4, assessment_model = $5
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid AND state = 'COMPLETE';
