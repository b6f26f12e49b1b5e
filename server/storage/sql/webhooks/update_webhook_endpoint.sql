-- $1 merchant_id, $2 endpoint_id, $3 url, $4 event_types (JSON array), $5 description,
-- $6 enabled. Run on a locked endpoint. Enabling a disabled endpoint clears its failures, so
-- what is queued goes out at once; disabling it (a person's choice) clears the reason.
UPDATE webhook_endpoints
   SET url = $3, event_types = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)),
       description = $5, enabled = $6,
       disabled_reason = CASE WHEN $6 THEN '' ELSE disabled_reason END,
       consecutive_failures = CASE WHEN $6 AND NOT enabled THEN 0 ELSE consecutive_failures END,
       failing_since = CASE WHEN $6 AND NOT enabled THEN NULL ELSE failing_since END,
       next_attempt_at = CASE WHEN $6 AND NOT enabled THEN now() ELSE next_attempt_at END,
       update_time = now(),
       -- A sender holding the endpoint stops at its next record (the lease is gone) and the
       -- next claim sends with what changed: URL, secret, enabled.
       lease_until = NULL, lease_id = NULL
 WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid
RETURNING endpoint_id::text, url, array_to_json(event_types)::text AS event_types, description,
          enabled, disabled_reason, secret_sealed, previous_secret_sealed,
          epoch_us(previous_secret_expire_at) AS previous_secret_expire_time_us,
          queued_through_sequence, consecutive_failures,
          CASE WHEN consecutive_failures > 0 THEN epoch_us(next_attempt_at) END AS next_attempt_time_us,
          epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us;
