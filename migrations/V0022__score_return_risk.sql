-- The published risk score of a return (docs/decisions.md, model "risk/1"): kept with the return
-- when it is created, with its contributing factors; the policy's thresholds decide automatic
-- approval and instant-exchange eligibility with it. 1000 (the default) turns a threshold off.
-- Additive only.
ALTER TABLE policies
    ADD COLUMN risk_review_threshold_milli integer NOT NULL DEFAULT 1000
        CHECK (risk_review_threshold_milli BETWEEN 0 AND 1000),
    ADD COLUMN risk_instant_exchange_max_milli integer NOT NULL DEFAULT 1000
        CHECK (risk_instant_exchange_max_milli BETWEEN 0 AND 1000);
ALTER TABLE returns ADD COLUMN risk jsonb;
