-- $1 merchant_id, $2 exchange_token_id. The original's first carrier scan: from now (database
-- clock) it has transit_window_days to be delivered or received before the charge falls due.
-- Only the first scan sets it.
UPDATE exchange_tokens
   SET transit_deadline = now() + transit_window_days * interval '1 day'
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid AND transit_deadline IS NULL;
