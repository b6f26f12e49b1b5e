-- $1 merchant_id, $2 exchange_token_id, $3 new token_hash. A retried IssueExchangeToken whose
-- first answer (the only one with the token string) was lost: the token gets a fresh string and
-- the old one stops working. Only an ISSUED token within its life; no row otherwise.
UPDATE exchange_tokens
   SET token_hash = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid
   AND state = 'ISSUED' AND expire_time > now()
RETURNING order_id;
