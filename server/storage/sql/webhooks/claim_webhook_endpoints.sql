-- $1 the most endpoints, $2 the lease (ms). Claims enabled endpoints whose oldest pending
-- delivery is due and that no sender holds (or whose sender's lease ended), SKIP LOCKED so
-- replicas share them: each gets a new lease_id that fences what its sender records. The
-- secrets come sealed; the previous one only while its overlap lasts.
WITH due AS (
    SELECT e.merchant_id, e.endpoint_id
      FROM webhook_endpoints e
     WHERE e.enabled AND e.next_attempt_at <= now()
       AND (e.lease_until IS NULL OR e.lease_until < now())
       AND EXISTS (SELECT 1 FROM webhook_deliveries w
                    WHERE w.merchant_id = e.merchant_id AND w.endpoint_id = e.endpoint_id
                      AND w.state = 'PENDING')
     ORDER BY e.next_attempt_at
     LIMIT $1
       FOR UPDATE OF e SKIP LOCKED
)
UPDATE webhook_endpoints e
   SET lease_until = now() + make_interval(secs => $2 / 1000.0), lease_id = gen_random_uuid()
  FROM due d
 WHERE e.merchant_id = d.merchant_id AND e.endpoint_id = d.endpoint_id
RETURNING e.merchant_id::text, e.endpoint_id::text, e.lease_id::text, e.url, e.secret_sealed,
          CASE WHEN e.previous_secret_expire_at > now() THEN e.previous_secret_sealed END
              AS previous_secret_sealed;
