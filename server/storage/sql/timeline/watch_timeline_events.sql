-- $1 merchant_id, $2 order_id, $3 after feed sequence, $4 limit.
-- WatchTimeline's next events: the order's timeline events in change-feed order, which only
-- ever grows at its end (numbers are given after commit), so a cursor on it never skips a late
-- commit. The last column is the event's feed sequence, the stream's cursor.
SELECT t.event_id, t.order_id, t.resource_type, t.resource_id, t.event_type, t.state, t.summary,
       t.request_id, epoch_us(t.create_time) AS create_time_us, f.sequence
  FROM outbox_events f
  JOIN timeline_events t ON t.merchant_id = f.merchant_id AND t.event_id = f.timeline_event_id
 WHERE f.merchant_id = $1::uuid AND f.order_id = $2 AND f.sequence > $3
 ORDER BY f.sequence
 LIMIT $4;
