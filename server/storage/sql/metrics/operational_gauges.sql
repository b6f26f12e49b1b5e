-- The collector's gauges over every merchant (name, label, value): durable jobs queued and the
-- age of the oldest by kind, dead letters by kind, live exchange tokens by state, the change
-- feed's lag (events committed but not yet numbered by the sequencer, and the oldest one's age),
-- the bytes of claim evidence stored by upload state (one pass, one total per state: no
-- label per merchant), and the money movements awaiting the payment system (by kind, and the
-- oldest one's age) or a person (FAILED, by kind), and webhook deliveries not yet answered (and
-- the oldest one's age) and endpoints the sender disabled.
SELECT 'returns_jobs_queued' AS name, kind AS label, count(*)::float8 AS value
  FROM jobs WHERE state IN ('PENDING', 'RUNNING') GROUP BY kind
UNION ALL
SELECT 'returns_jobs_oldest_age_seconds', kind, extract(epoch FROM now() - min(create_time))::float8
  FROM jobs WHERE state IN ('PENDING', 'RUNNING') GROUP BY kind
UNION ALL
SELECT 'returns_jobs_dead', kind, count(*)::float8 FROM jobs WHERE state = 'DEAD' GROUP BY kind
UNION ALL
SELECT 'returns_exchange_tokens', state, count(*)::float8
  FROM exchange_tokens
 WHERE state IN ('ISSUED', 'REDEEMED', 'IN_TRANSIT', 'CHARGE_DUE', 'CHARGE_FAILED')
 GROUP BY state
UNION ALL
SELECT 'returns_change_feed_lag_events', '', count(*)::float8 FROM outbox_pending
UNION ALL
SELECT 'returns_change_feed_lag_seconds', '', coalesce(extract(epoch FROM now() - min(create_time)), 0)::float8
  FROM outbox_pending
UNION ALL
SELECT 'returns_evidence_stored_bytes', s.state, s.bytes
  FROM (SELECT coalesce(sum(received_bytes) FILTER (WHERE state = 'UPLOADING'), 0)::float8 AS uploading,
               coalesce(sum(received_bytes) FILTER (WHERE state = 'COMPLETE'), 0)::float8 AS complete
          FROM claim_evidence
         WHERE state IN ('UPLOADING', 'COMPLETE')) t
 CROSS JOIN LATERAL (VALUES ('UPLOADING', t.uploading), ('COMPLETE', t.complete)) s(state, bytes)
UNION ALL
SELECT 'returns_money_movements_requested', kind, count(*)::float8
  FROM money_movements WHERE state = 'REQUESTED' GROUP BY kind
UNION ALL
SELECT 'returns_money_movement_oldest_requested_age_seconds', '',
       coalesce(extract(epoch FROM now() - min(create_time)), 0)::float8
  FROM money_movements WHERE state = 'REQUESTED'
UNION ALL
SELECT 'returns_money_movements_failed', kind, count(*)::float8
  FROM money_movements WHERE state = 'FAILED' GROUP BY kind
UNION ALL
SELECT 'returns_webhook_deliveries_pending', '', count(*)::float8
  FROM webhook_deliveries WHERE state = 'PENDING'
UNION ALL
SELECT 'returns_webhook_oldest_undelivered_age_seconds', '',
       coalesce(extract(epoch FROM now() - min(create_time)), 0)::float8
  FROM webhook_deliveries WHERE state = 'PENDING'
UNION ALL
SELECT 'returns_webhook_endpoints_disabled', '', count(*)::float8
  FROM webhook_endpoints WHERE NOT enabled AND disabled_reason <> '';
