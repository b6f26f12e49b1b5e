-- $1 merchant_id, $2 order_id, $3 after event_id (0 for the first page), $4 limit.
-- The order's existence and its page of events in one statement (one snapshot, one round trip):
-- no row when the order does not exist (or is another merchant's), one row of NULLs when it has
-- no event after the cursor, else one row per event.
SELECT e.event_id, e.order_id, e.resource_type, e.resource_id, e.event_type, e.state, e.summary,
       e.request_id, epoch_us(e.create_time) AS create_time_us
  FROM orders o
  LEFT JOIN LATERAL (
        SELECT * FROM timeline_events t
         WHERE t.merchant_id = o.merchant_id AND t.order_id = o.order_id AND t.event_id > $3
         ORDER BY t.event_id
         LIMIT $4) e ON true
 WHERE o.merchant_id = $1::uuid AND o.order_id = $2
 ORDER BY e.event_id;
