-- The metrics collector (server/metrics/collector.cc) counts live exchange tokens by state and dead
-- jobs every few seconds on every replica: partial indexes keep those counts to the rows counted.
-- Additive only.
CREATE INDEX exchange_tokens_live_by_state ON exchange_tokens (state)
    WHERE state IN ('ISSUED', 'REDEEMED', 'IN_TRANSIT', 'CHARGE_DUE', 'CHARGE_FAILED');
CREATE INDEX jobs_dead_by_kind ON jobs (kind) WHERE state = 'DEAD';
