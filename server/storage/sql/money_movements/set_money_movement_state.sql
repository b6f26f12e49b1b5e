-- $1 merchant_id, $2 movement_id, $3 state, $4 external_reference, $5 failure_reason,
-- $6 whether this is a new attempt (RetryMoneyMovement). The caller holds the movement's lock
-- and checked the transition. outcome_time is set by an outcome and cleared by a retry.
UPDATE money_movements
   SET state = $3,
       external_reference = $4,
       failure_reason = $5,
       attempt = attempt + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
       outcome_time = CASE WHEN $3 = 'REQUESTED' THEN NULL ELSE now() END,
       update_time = now()
 WHERE merchant_id = $1::uuid AND movement_id = $2::uuid
RETURNING movement_id::text, order_id, kind, state, currency_code, amount_minor, tenders::text, subject,
       attempt, external_reference, failure_reason, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us, epoch_us(outcome_time) AS outcome_time_us,
       recipient::text;
