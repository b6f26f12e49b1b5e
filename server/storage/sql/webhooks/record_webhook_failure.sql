-- $1 merchant_id, $2 endpoint_id, $3 lease_id, $4 delivery_id, $5 the HTTP status (0: none),
-- $6 the short error, $7 the retry delay (ms), $8 the retry window (ms), $9 disable at once
-- (410 Gone). Counts the failed attempt and schedules the next, while the sender holds the
-- lease; disables an enabled endpoint when told to or once it has failed for the whole window
-- (its pending deliveries wait for it to be enabled again). Returns whether this disabled it,
-- and the reason; no row when the lease was lost.
WITH current AS (
    SELECT merchant_id, endpoint_id, enabled,
           COALESCE(failing_since, now()) AS failing_since,
           enabled AND ($9 OR COALESCE(failing_since, now())
                               + make_interval(secs => $8 / 1000.0) <= now()) AS gives_up
      FROM webhook_endpoints
     WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid AND lease_id = $3::uuid
       FOR UPDATE
), held AS (
    UPDATE webhook_endpoints e
       SET consecutive_failures = e.consecutive_failures + 1,
           failing_since = c.failing_since,
           next_attempt_at = now() + make_interval(secs => $7 / 1000.0),
           enabled = e.enabled AND NOT c.gives_up,
           disabled_reason = CASE
               WHEN NOT c.gives_up THEN e.disabled_reason
               WHEN $9 THEN 'the endpoint answered 410 Gone'
               ELSE 'failing since ' || to_char(c.failing_since AT TIME ZONE 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    || ' (' || (e.consecutive_failures + 1) || ' attempts)' END,
           lease_until = NULL,
           update_time = CASE WHEN c.gives_up THEN now() ELSE e.update_time END
      FROM current c
     WHERE e.merchant_id = c.merchant_id AND e.endpoint_id = c.endpoint_id
 RETURNING e.merchant_id, e.endpoint_id, c.gives_up, e.disabled_reason
), attempt AS (
    UPDATE webhook_deliveries w
       SET attempts = attempts + 1, response_code = $5, error = $6,
           last_attempt_time = clock_timestamp()
      FROM held h
     WHERE w.merchant_id = h.merchant_id AND w.endpoint_id = h.endpoint_id
       AND w.delivery_id = $4::uuid AND w.state = 'PENDING'
)
SELECT gives_up AS disabled_now, disabled_reason FROM held;
