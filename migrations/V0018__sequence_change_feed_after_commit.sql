-- The change feed is numbered after commit instead of under a lock held to commit.
--
-- Until now every event took the next value of its merchant's change_feed_sequences row, whose
-- lock stayed held until the writing transaction committed, so one merchant's writes queued
-- behind each other's commit (WAL flush). Now a writer inserts its feed row into outbox_pending,
-- without a number and without touching any shared row; the sequencer (jobs/feed_sequencer.h,
-- events/sequence_change_feed.sql) moves committed pending rows into outbox_events and numbers
-- them there, one pass at a time under an advisory lock. outbox_events keeps its meaning and its
-- columns: every row in it has its final sequence from the moment it is visible, so readers and
-- CDC pipelines see no change. The proof that the cursor still yields every event once, in an
-- order consistent with commit order, is in docs/lifecycle.md ("The change feed's order").
CREATE TABLE outbox_pending (
    merchant_id       uuid NOT NULL,
    -- Orders pending rows: the sequencer numbers a merchant's rows of one pass by it.
    insert_id         bigint GENERATED ALWAYS AS IDENTITY,
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    aggregatetype     text NOT NULL,
    aggregateid       text NOT NULL,
    type              text NOT NULL,
    payload           jsonb NOT NULL,
    order_id          text NOT NULL DEFAULT '',
    timeline_event_id bigint,
    create_time       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, insert_id)
);
CREATE INDEX outbox_pending_in_insert_order ON outbox_pending (insert_id);

-- WatchTimeline follows an order's events in feed order (its resume point is the feed position
-- of the client's last event_id).
CREATE INDEX outbox_events_by_order ON outbox_events (merchant_id, order_id, sequence);
