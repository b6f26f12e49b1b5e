-- The single status timeline of every order: one row per transition of any of its resources.
CREATE TABLE timeline_events (
    merchant_id   uuid NOT NULL,
    event_id      bigint GENERATED ALWAYS AS IDENTITY,
    order_id      text NOT NULL,
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    event_type    text NOT NULL,
    state         text NOT NULL DEFAULT '',
    summary       text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT '',
    create_time   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, event_id)
);
CREATE INDEX timeline_events_by_order ON timeline_events (merchant_id, order_id, event_id);
