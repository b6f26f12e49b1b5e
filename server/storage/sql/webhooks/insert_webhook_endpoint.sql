-- $1 merchant_id, $2 endpoint_id, $3 url, $4 event_types (JSON array), $5 description,
-- $6 secret_sealed. The new endpoint, enabled, queued from the feed's current end: events
-- numbered after now are sent to it.
INSERT INTO webhook_endpoints
       (merchant_id, endpoint_id, url, event_types, description, secret_sealed,
        queued_through_sequence)
VALUES ($1::uuid, $2::uuid, $3, ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), $5, $6,
        COALESCE((SELECT last_sequence FROM change_feed_sequences WHERE merchant_id = $1::uuid), 0))
RETURNING endpoint_id::text, url, array_to_json(event_types)::text AS event_types, description,
          enabled, disabled_reason, secret_sealed, previous_secret_sealed,
          epoch_us(previous_secret_expire_at) AS previous_secret_expire_time_us,
          queued_through_sequence, consecutive_failures,
          CASE WHEN consecutive_failures > 0 THEN epoch_us(next_attempt_at) END AS next_attempt_time_us,
          epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us;
