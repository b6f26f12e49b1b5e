-- $1 merchant_id, $2 endpoint_id, $3 lease_id, $4 delivery_id, $5 the HTTP status. The
-- delivery SUCCEEDED and the endpoint's failures cleared, only while the sender still holds the
-- lease (otherwise another sender has the endpoint and sends the delivery again: at least
-- once). Returns a row when recorded.
WITH held AS (
    UPDATE webhook_endpoints
       SET consecutive_failures = 0, failing_since = NULL, next_attempt_at = now()
     WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid AND lease_id = $3::uuid
 RETURNING merchant_id, endpoint_id
)
UPDATE webhook_deliveries w
   SET state = 'SUCCEEDED', attempts = attempts + 1, response_code = $5, error = '',
       last_attempt_time = clock_timestamp(), delivered_time = clock_timestamp()
  FROM held h
 WHERE w.merchant_id = h.merchant_id AND w.endpoint_id = h.endpoint_id
   AND w.delivery_id = $4::uuid AND w.state = 'PENDING'
RETURNING w.delivery_id;
