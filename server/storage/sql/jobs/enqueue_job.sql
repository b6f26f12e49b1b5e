-- $1 merchant_id, $2 kind, $3 dedup_key, $4 order_id, $5 subject_id, $6 payload (JSON).
-- Enqueues the job inside the caller's transaction: it exists exactly when the change that needs
-- it commits. An effect enqueued twice (same dedup_key) stays one job.
INSERT INTO jobs (merchant_id, kind, dedup_key, order_id, subject_id, payload)
VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb)
ON CONFLICT (merchant_id, dedup_key) DO NOTHING;
