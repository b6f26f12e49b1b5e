-- $1 merchant_id, $2 endpoint_id, $3 state ('' for any), $4 event_id ('' for any), $5 before
-- queue position (0: the first page), $6 limit. An endpoint's deliveries, newest first.
SELECT delivery_id::text, endpoint_id::text, event_id::text, sequence, event_type, replay, state,
       attempts, response_code, error, queue_position,
       epoch_us(create_time) AS create_time_us,
       epoch_us(last_attempt_time) AS last_attempt_time_us,
       epoch_us(delivered_time) AS delivered_time_us
  FROM webhook_deliveries
 WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid
   AND ($3 = '' OR state = $3)
   AND ($4 = '' OR event_id = NULLIF($4, '')::uuid)
   AND ($5::bigint = 0 OR queue_position < $5::bigint)
 ORDER BY queue_position DESC
 LIMIT $6;
