-- AIP-155 request ids: one row per (merchant, method, request_id), written in the same
-- transaction as the change it guards, with a fingerprint of the request and the response.
CREATE TABLE idempotency_keys (
    merchant_id uuid NOT NULL,
    method      text NOT NULL,
    request_id  text NOT NULL,
    fingerprint text NOT NULL,
    response    bytea,
    create_time timestamptz NOT NULL DEFAULT now(),
    expire_time timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, method, request_id)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expire_time);
