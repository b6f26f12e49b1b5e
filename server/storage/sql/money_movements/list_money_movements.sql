-- $1 merchant_id, $2 order_id filter ('' for all), $3 state filter ('' for all), $4 before
-- create_time (µs; 0 for the first page), $5 before movement_id, $6 limit. Newest first.
SELECT movement_id::text, order_id, kind, state, currency_code, amount_minor, tenders::text, subject,
       attempt, external_reference, failure_reason, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us, epoch_us(outcome_time) AS outcome_time_us,
       recipient::text
  FROM money_movements
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR order_id = $2)
   AND ($3 = '' OR state = $3)
   AND ($4::bigint = 0 OR (create_time, movement_id) < (from_epoch_us($4::bigint), $5::uuid))
 ORDER BY create_time DESC, movement_id DESC
 LIMIT $6;
