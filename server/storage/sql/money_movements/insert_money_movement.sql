-- $1 merchant_id, $2 order_id, $3 kind, $4 currency_code, $5 amount_minor, $6 tenders (JSON
-- array of TenderShare as proto JSON), $7 subject ("returns/{id}", "claims/{id}",
-- "exchange_tokens/{id}"). Requests a movement: at most one per subject and kind, so no row comes
-- back when it was requested before. $8: the gift recipient of a gift return's store credit
-- (GiftRecipient as proto JSON), NULL otherwise.
INSERT INTO money_movements (merchant_id, order_id, kind, currency_code, amount_minor, tenders,
                             subject, recipient)
VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb)
ON CONFLICT (merchant_id, subject, kind) DO NOTHING
RETURNING movement_id::text, order_id, kind, state, currency_code, amount_minor, tenders::text, subject,
       attempt, external_reference, failure_reason, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us, epoch_us(outcome_time) AS outcome_time_us,
       recipient::text;
