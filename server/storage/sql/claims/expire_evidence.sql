-- $1 merchant_id, $2 evidence_id. An abandoned upload (locked by claim_abandoned_evidence):
-- EXPIRED, its bytes to be deleted by the sweeper.
UPDATE claim_evidence
   SET state = 'EXPIRED', purge_pending = true
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid AND state = 'UPLOADING';
