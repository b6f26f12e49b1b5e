-- $1 merchant_id, $2 order_id, $3 resource_type, $4 resource_id, $5 event_type, $6 state,
-- $7 summary, $8 request_id, $9 payload (JSON).
-- Writes the timeline event and its change-feed row in one round trip, taking no shared lock:
-- the feed row waits in outbox_pending until the sequencer numbers it after this transaction
-- commits (events/sequence_change_feed.sql). The NOTIFY, delivered at commit, wakes the
-- sequencer of every replica (jobs/feed_sequencer.h); the sequencer's own NOTIFY then wakes the
-- live streams.
WITH timeline AS (
    -- clock_timestamp(): the moment of the write, not the transaction's start (now()).
    INSERT INTO timeline_events
           (merchant_id, order_id, resource_type, resource_id, event_type, state, summary, request_id,
            create_time)
    VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
 RETURNING event_id, create_time
)
INSERT INTO outbox_pending
       (merchant_id, aggregatetype, aggregateid, type, payload, order_id, timeline_event_id, create_time)
SELECT $1::uuid, $3, $4, $5, $9::jsonb, $2, timeline.event_id, timeline.create_time
  FROM timeline, (SELECT pg_notify('returns_changes', 'pending')) AS notify
RETURNING insert_id;
