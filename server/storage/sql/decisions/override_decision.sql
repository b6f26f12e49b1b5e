-- $1 merchant_id, $2 kind, $3 subject, $4 override_outcome, $5 override_actor, $6 override_note.
-- A person's decision over every escalated one of that kind for the subject still open (a claim
-- sent back to review after new evidence has two). Returns the decisions overridden.
UPDATE decisions
   SET override_outcome = $4, override_actor = $5, override_note = $6, override_time = now()
 WHERE merchant_id = $1::uuid AND kind = $2 AND subject = $3
   AND outcome = 'ESCALATED' AND override_outcome IS NULL
RETURNING decision_id::text;
