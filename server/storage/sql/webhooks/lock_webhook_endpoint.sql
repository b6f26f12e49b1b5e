-- $1 merchant_id, $2 endpoint_id. The endpoint, locked for a change; no row when there is none.
SELECT endpoint_id::text, url, array_to_json(event_types)::text AS event_types, description,
       enabled, disabled_reason, secret_sealed, previous_secret_sealed,
       epoch_us(previous_secret_expire_at) AS previous_secret_expire_time_us,
       queued_through_sequence, consecutive_failures,
       CASE WHEN consecutive_failures > 0 THEN epoch_us(next_attempt_at) END AS next_attempt_time_us,
       epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us
  FROM webhook_endpoints
 WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid
   FOR UPDATE;
