-- $1 merchant_id, $2 subject filter ('' for all), $3 before create_time (µs; a huge value for the
-- first page), $4 before decision_id, $5 limit, $6 outcome ('' for all), $7 made at or after (µs),
-- $8 made before (µs), $9 overridden ('' both, 'yes', 'no'), $10 kind ('' for all). Newest first.
SELECT decision_id::text, kind, subject, inputs::text, rule_version, score_milli, outcome,
       reasons::text, coalesce(override_outcome, '') AS override_outcome, override_actor,
       override_note, epoch_us(create_time) AS create_time_us,
       epoch_us(override_time) AS override_time_us
  FROM decisions
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR subject = $2)
   AND (create_time, decision_id) < (from_epoch_us($3::bigint), $4::uuid)
   AND ($6 = '' OR outcome = $6)
   AND create_time >= from_epoch_us($7::bigint)
   AND create_time < from_epoch_us($8::bigint)
   AND ($9 = '' OR ($9 = 'yes') = (override_outcome IS NOT NULL))
   AND ($10 = '' OR kind = $10)
 ORDER BY create_time DESC, decision_id DESC
 LIMIT $5;
