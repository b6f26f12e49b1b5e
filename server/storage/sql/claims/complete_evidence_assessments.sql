-- $1 merchant_id, $2 claim_id. The claim's complete files and their assessments.
SELECT assessment_label, assessment_confidence_milli, assessment_model
  FROM claim_evidence
 WHERE merchant_id = $1::uuid AND claim_id = $2::uuid AND state = 'COMPLETE'
 ORDER BY create_time, evidence_id;
