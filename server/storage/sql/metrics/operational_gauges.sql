-- The collector's gauges over every merchant (name, label, value): durable jobs queued and the
-- age of the oldest by kind, dead letters by kind, live exchange tokens by state, and the change
-- feed's lag (events committed but not yet numbered by the sequencer, and the oldest one's age).
SELECT 'returns_jobs_queued', kind, count(*)::float8
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
  FROM outbox_pending;
