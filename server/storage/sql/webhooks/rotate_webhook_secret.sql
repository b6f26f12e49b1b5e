-- $1 merchant_id, $2 endpoint_id, $3 the new secret sealed, $4 overlap (seconds). Run on a
-- locked endpoint. The current secret becomes the previous one, which signs too until the
-- overlap ends.
UPDATE webhook_endpoints
   SET previous_secret_sealed = secret_sealed,
       previous_secret_expire_at = now() + make_interval(secs => $4),
       secret_sealed = $3, update_time = now(),
       -- A sender holding the endpoint stops at its next record (the lease is gone) and the
       -- next claim signs with the new secret.
       lease_until = NULL, lease_id = NULL
 WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid
RETURNING endpoint_id::text, url, array_to_json(event_types)::text AS event_types, description,
          enabled, disabled_reason, secret_sealed, previous_secret_sealed,
          epoch_us(previous_secret_expire_at) AS previous_secret_expire_time_us,
          queued_through_sequence, consecutive_failures,
          CASE WHEN consecutive_failures > 0 THEN epoch_us(next_attempt_at) END AS next_attempt_time_us,
          epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us;
