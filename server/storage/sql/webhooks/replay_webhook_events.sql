-- $1 merchant_id, $2 endpoint_id, $3 event_id ('' for a range), $4 from sequence, $5 to
-- sequence. Queues the chosen feed events the endpoint's types cover again, after everything
-- queued, in feed order (events past the endpoint's cursor are left to the feed). Returns one row per delivery queued.
INSERT INTO webhook_deliveries (merchant_id, endpoint_id, event_id, sequence, event_type, replay)
SELECT o.merchant_id, e.endpoint_id, o.id, o.sequence, o.type, true
  FROM webhook_endpoints e
  JOIN outbox_events o ON o.merchant_id = e.merchant_id
 WHERE e.merchant_id = $1::uuid AND e.endpoint_id = $2::uuid
   AND (CASE WHEN $3 <> '' THEN o.id = NULLIF($3, '')::uuid
             ELSE o.sequence BETWEEN $4 AND $5 END)
   AND webhook_types_cover(e.event_types, o.type)
   -- Only what the feed already queued for it: a later event comes from the feed, in order.
   AND o.sequence <= e.queued_through_sequence
 ORDER BY o.sequence
RETURNING delivery_id;
