-- $1 merchant_id, $2 exchange_token_id, $3 new state. A token reaching SETTLED records when (the
-- KPIs' tokens_settled, by day).
UPDATE exchange_tokens
   SET state = $3, version = version + 1, update_time = now(),
       settle_time = CASE WHEN $3 = 'SETTLED' THEN coalesce(settle_time, now()) ELSE settle_time END
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid;
