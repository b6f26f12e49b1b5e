-- $1 the most endpoints, $2 the most events per endpoint. One pass of the queueing: for
-- enabled endpoints whose merchant's feed moved past their cursor (locked, SKIP LOCKED, so
-- replicas share the work), queues the next events their types cover as deliveries, in feed
-- order, and moves each cursor past the events it looked at. Feed sequences are dense and
-- final once visible (events/sequence_change_feed.sql), so the cursor never skips one.
-- Returns one row per endpoint moved, with how many deliveries it got.
WITH due AS (
    SELECT e.merchant_id, e.endpoint_id, e.event_types, e.queued_through_sequence AS cursor,
           LEAST(s.last_sequence, e.queued_through_sequence + $2) AS upto
      FROM webhook_endpoints e
      JOIN change_feed_sequences s ON s.merchant_id = e.merchant_id
     WHERE e.enabled AND s.last_sequence > e.queued_through_sequence
     ORDER BY e.merchant_id, e.endpoint_id
     LIMIT $1
       FOR UPDATE OF e SKIP LOCKED
), queued AS (
    INSERT INTO webhook_deliveries (merchant_id, endpoint_id, event_id, sequence, event_type)
    SELECT d.merchant_id, d.endpoint_id, o.id, o.sequence, o.type
      FROM due d
      JOIN outbox_events o ON o.merchant_id = d.merchant_id
                          AND o.sequence > d.cursor AND o.sequence <= d.upto
     WHERE webhook_types_cover(d.event_types, o.type)
     ORDER BY d.merchant_id, d.endpoint_id, o.sequence
        ON CONFLICT DO NOTHING
 RETURNING merchant_id, endpoint_id
), moved AS (
    UPDATE webhook_endpoints e SET queued_through_sequence = d.upto
      FROM due d
     WHERE e.merchant_id = d.merchant_id AND e.endpoint_id = d.endpoint_id
 RETURNING e.merchant_id, e.endpoint_id
)
SELECT m.merchant_id::text, m.endpoint_id::text,
       (SELECT count(*) FROM queued q
         WHERE q.merchant_id = m.merchant_id AND q.endpoint_id = m.endpoint_id) AS queued
  FROM moved m;
