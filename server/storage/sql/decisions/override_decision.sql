-- $1 merchant_id, $2 kind, $3 subject, $4 override_outcome, $5 override_actor, $6 override_note.
-- A person's decision over the newest escalated one of that kind for the subject, if any is
-- still open. Returns the decision overridden.
UPDATE decisions
   SET override_outcome = $4, override_actor = $5, override_note = $6, override_time = now()
 WHERE (merchant_id, decision_id) = (
         SELECT merchant_id, decision_id FROM decisions
          WHERE merchant_id = $1::uuid AND kind = $2 AND subject = $3
            AND outcome = 'ESCALATED' AND override_outcome IS NULL
          ORDER BY create_time DESC, decision_id DESC
          LIMIT 1)
RETURNING decision_id::text;
