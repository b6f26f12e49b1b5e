-- Merchants' webhook endpoints and the deliveries queued for them (docs/integrations.md,
-- "Webhooks"). The change feed (outbox_events) is the source: a queueing pass copies each new
-- event an endpoint's types cover into webhook_deliveries, in feed order, and moves the
-- endpoint's cursor; a sending pass POSTs each endpoint's oldest pending delivery, one at a time,
-- so an endpoint sees its events in feed order and a failing endpoint holds up nobody else.
CREATE TABLE webhook_endpoints (
    merchant_id               uuid NOT NULL REFERENCES merchants,
    endpoint_id               uuid NOT NULL DEFAULT gen_random_uuid(),
    url                       text NOT NULL,
    event_types               text[] NOT NULL DEFAULT '{}',
    description               text NOT NULL DEFAULT '',
    enabled                   boolean NOT NULL DEFAULT true,
    disabled_reason           text NOT NULL DEFAULT '',
    -- The signing secrets, sealed with AES-256-GCM under the operator's --secret_keys
    -- (common/secret_box.h); never stored in clear.
    secret_sealed             text NOT NULL,
    previous_secret_sealed    text,
    previous_secret_expire_at timestamptz,
    -- The feed position up to which events are queued as deliveries.
    queued_through_sequence   bigint NOT NULL,
    -- A sender holds the endpoint until lease_until; lease_id fences what it records.
    lease_until               timestamptz,
    lease_id                  uuid,
    -- When the oldest pending delivery may be tried (backoff while failing).
    next_attempt_at           timestamptz NOT NULL DEFAULT now(),
    -- The first failure of the current run of failures (the retry window counts from it).
    failing_since             timestamptz,
    consecutive_failures      integer NOT NULL DEFAULT 0,
    create_time               timestamptz NOT NULL DEFAULT now(),
    update_time               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, endpoint_id)
);

CREATE TABLE webhook_deliveries (
    merchant_id       uuid NOT NULL,
    delivery_id       uuid NOT NULL DEFAULT gen_random_uuid(),
    endpoint_id       uuid NOT NULL,
    -- The order an endpoint's deliveries go out in: feed order, replays after what was queued.
    queue_position    bigint GENERATED ALWAYS AS IDENTITY,
    event_id          uuid NOT NULL,
    sequence          bigint NOT NULL,
    event_type        text NOT NULL,
    replay            boolean NOT NULL DEFAULT false,
    state             text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SUCCEEDED')),
    attempts          integer NOT NULL DEFAULT 0,
    response_code     integer NOT NULL DEFAULT 0,
    error             text NOT NULL DEFAULT '',
    create_time       timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_attempt_time timestamptz,
    delivered_time    timestamptz,
    PRIMARY KEY (merchant_id, delivery_id),
    FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints ON DELETE CASCADE
);
-- The head of each endpoint's queue.
CREATE INDEX webhook_deliveries_pending
    ON webhook_deliveries (merchant_id, endpoint_id, queue_position) WHERE state = 'PENDING';
-- ListWebhookDeliveries, newest first.
CREATE INDEX webhook_deliveries_newest
    ON webhook_deliveries (merchant_id, endpoint_id, queue_position DESC);
-- The feed queues an event at most once per endpoint (replays are extra rows).
CREATE UNIQUE INDEX webhook_deliveries_once_from_feed
    ON webhook_deliveries (merchant_id, endpoint_id, event_id) WHERE NOT replay;

-- Whether an endpoint's event types cover an event type: every type when there are none, an
-- exact type, or a prefix written "return.*".
CREATE FUNCTION webhook_types_cover(types text[], event_type text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT cardinality(types) = 0
        OR event_type = ANY(types)
        OR EXISTS (SELECT 1 FROM unnest(types) AS t
                    WHERE right(t, 2) = '.*' AND starts_with(event_type, left(t, -1)))
$$;
