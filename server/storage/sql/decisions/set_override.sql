-- $1 merchant_id, $2 decision_id, $3 override_outcome, $4 override_actor, $5 override_note.
UPDATE decisions
   SET override_outcome = $3, override_actor = $4, override_note = $5, override_time = now()
 WHERE merchant_id = $1::uuid AND decision_id = $2::uuid AND override_outcome IS NULL
RETURNING decision_id::text;
