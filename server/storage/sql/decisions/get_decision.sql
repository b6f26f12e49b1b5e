-- $1 merchant_id, $2 decision_id. A decision, read before its subject is locked.
SELECT decision_id::text, kind, subject, inputs::text, rule_version, score_milli, outcome,
       reasons::text, coalesce(override_outcome, '') AS override_outcome, override_actor,
       override_note, epoch_us(create_time) AS create_time_us,
       epoch_us(override_time) AS override_time_us
  FROM decisions
 WHERE merchant_id = $1::uuid AND decision_id = $2::uuid
;
