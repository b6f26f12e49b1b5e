-- The change feed: a transactional outbox with the columns a CDC outbox router expects
-- (id, aggregatetype, aggregateid, type, payload). `sequence` is per merchant, gap-free and in
-- commit order, because it is taken from change_feed_sequences, whose row stays locked until
-- the writing transaction commits.
CREATE TABLE change_feed_sequences (
    merchant_id   uuid PRIMARY KEY REFERENCES merchants,
    last_sequence bigint NOT NULL DEFAULT 0
);

CREATE TABLE outbox_events (
    merchant_id       uuid NOT NULL,
    sequence          bigint NOT NULL,
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    aggregatetype     text NOT NULL,
    aggregateid       text NOT NULL,
    type              text NOT NULL,
    payload           jsonb NOT NULL,
    order_id          text NOT NULL DEFAULT '',
    timeline_event_id bigint,
    create_time       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, sequence),
    UNIQUE (merchant_id, id)
);
