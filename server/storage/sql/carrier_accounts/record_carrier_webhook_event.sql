-- $1 merchant_id, $2 carrier, $3 event_id, $4 body. Keeps a verified webhook event once per id;
-- returns a row only the first time (a redelivery is a duplicate).
INSERT INTO carrier_webhook_events (merchant_id, carrier, event_id, body)
VALUES ($1::uuid, $2, $3, $4)
    ON CONFLICT DO NOTHING
RETURNING event_id;
