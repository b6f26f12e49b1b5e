-- Merchants' carrier accounts (docs/integrations.md, "Carrier accounts"): the credentials
-- sealed with AES-256-GCM under the operator's --secret_keys (common/secret_box.h), the rest of
-- the settings as CarrierAccount proto JSON (credentials cleared).
CREATE TABLE carrier_accounts (
    merchant_id           uuid NOT NULL REFERENCES merchants,
    carrier               text NOT NULL,
    api_key_sealed        text NOT NULL,
    api_key_hint          text NOT NULL,
    webhook_secret_sealed text,
    settings              jsonb NOT NULL,
    create_time           timestamptz NOT NULL DEFAULT now(),
    update_time           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, carrier)
);

-- What a carrier adapter remembers per idempotency key across retries (the carrier's own id of
-- a shipment it made before buying it), so a retried job never buys a second label.
CREATE TABLE carrier_call_memos (
    merchant_id     uuid NOT NULL REFERENCES merchants,
    idempotency_key text NOT NULL,
    value           text NOT NULL,
    create_time     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, idempotency_key)
);

-- Carriers' webhook events as received (verified), once per event id: kept raw for replay.
CREATE TABLE carrier_webhook_events (
    merchant_id  uuid NOT NULL REFERENCES merchants,
    carrier      text NOT NULL,
    event_id     text NOT NULL,
    body         text NOT NULL,
    receive_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, carrier, event_id)
);
