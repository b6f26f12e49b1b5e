-- $1 merchant_id, $2 movement_id.
SELECT movement_id::text, order_id, kind, state, currency_code, amount_minor, tenders::text, subject,
       attempt, external_reference, failure_reason, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us, epoch_us(outcome_time) AS outcome_time_us,
       recipient::text
  FROM money_movements
 WHERE merchant_id = $1::uuid AND movement_id = $2::uuid;
