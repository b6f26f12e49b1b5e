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
    INSERT INTO timeline_events
           (merchant_id, order_id, resource_type, resource_id, event_type, state, summary, request_id)
    VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8)
 RETURNING event_id
)
INSERT INTO outbox_events
       (merchant_id, sequence, aggregatetype, aggregateid, type, payload, order_id, timeline_event_id)
SELECT $1::uuid, feed.last_sequence, $3, $4, $5, $9::jsonb, $2, timeline.event_id
  FROM feed, timeline, (SELECT pg_notify('returns_changes', $1::uuid::text || '/' || $2)) AS notify
RETURNING sequence;
