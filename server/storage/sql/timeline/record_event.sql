-- $1 merchant_id, $2 order_id, $3 resource_type, $4 resource_id, $5 event_type, $6 state,
-- $7 summary, $8 request_id, $9 payload (JSON).
-- Writes the timeline event and its change-feed (outbox) row in one round trip. The feed
-- sequence row stays locked until commit, so sequences are gap-free and in commit order. The
-- NOTIFY is delivered at commit and wakes live streams (storage/change_listener.h).
WITH feed AS (
    UPDATE change_feed_sequences
       SET last_sequence = last_sequence + 1
     WHERE merchant_id = $1::uuid
 RETURNING last_sequence
), timeline AS (
    -- Selecting FROM feed makes the insert wait for the feed row's lock, so event_id is drawn
    -- under it: event ids, like sequences, grow in commit order per merchant (WatchTimeline's
    -- cursor relies on it). Data-modifying CTEs otherwise run in no defined order.
    -- clock_timestamp(), taken under the lock too, keeps create_time in the same order (now()
    -- would be the transaction's start).
    INSERT INTO timeline_events
           (merchant_id, order_id, resource_type, resource_id, event_type, state, summary, request_id,
            create_time)
    SELECT $1::uuid, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()
      FROM feed
 RETURNING event_id
)
INSERT INTO outbox_events
       (merchant_id, sequence, aggregatetype, aggregateid, type, payload, order_id, timeline_event_id)
SELECT $1::uuid, feed.last_sequence, $3, $4, $5, $9::jsonb, $2, timeline.event_id
  FROM feed, timeline, (SELECT pg_notify('returns_changes', $1::uuid::text || '/' || $2)) AS notify
RETURNING sequence;
