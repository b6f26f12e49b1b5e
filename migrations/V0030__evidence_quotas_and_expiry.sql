-- Evidence quotas and the expiry of abandoned uploads (docs/claims.md, "Quotas and expiry"): a
-- merchant's evidence bytes and open uploads are counted for its quota on every chunk, and the
-- sweeper expires an upload that got no chunk for --evidence_upload_expiry_seconds, deleting its
-- bytes in batches. Additive only: the release before this one keeps running (it never writes
-- EXPIRED; it reads an EXPIRED file as a state it does not know, which takes no chunks and cannot
-- be downloaded, and its per-claim limits still count such a file).

-- last_chunk_time: when the upload last grew (set by every chunk). Uploads open now count from
-- their start, a lower bound of their last chunk, so abandoned ones are swept without waiting
-- another day. purge_pending: EXPIRED with bytes still in the blob store.
ALTER TABLE claim_evidence
    ADD COLUMN last_chunk_time timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN purge_pending   boolean NOT NULL DEFAULT false;
UPDATE claim_evidence SET last_chunk_time = create_time WHERE state = 'UPLOADING';

-- EXPIRED: no chunk for too long. It takes no more chunks and counts against no limit.
ALTER TABLE claim_evidence
    DROP CONSTRAINT claim_evidence_state_check,
    ADD CONSTRAINT claim_evidence_state_check CHECK (state IN ('UPLOADING', 'COMPLETE', 'EXPIRED'));

-- The quota, read by every chunk: the merchant's files by state with their bytes (index only).
CREATE INDEX claim_evidence_by_merchant_state ON claim_evidence (merchant_id, state)
    INCLUDE (received_bytes);
-- The sweeper: open uploads by their last chunk, and expired files whose bytes remain.
CREATE INDEX claim_evidence_uploading_by_last_chunk ON claim_evidence (last_chunk_time)
    WHERE state = 'UPLOADING';
CREATE INDEX claim_evidence_purge_pending ON claim_evidence (merchant_id, evidence_id)
    WHERE purge_pending;
