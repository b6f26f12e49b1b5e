-- The damage assessor over HTTP (returnsd --damage_assessor_url) is asked by a durable job after
-- a photo's upload commits: the job kind ASSESS_EVIDENCE, whose subject is the evidence_id.
-- Until it answers, the photo's assessment_label is 'pending' and its claim waits.
--
-- A replica of the previous release never enqueues this kind; one that claims such a job refuses
-- it as unknown and dead-letters it, and the claim then waits for a person once an operator
-- retries the job on this release (RetryJob). Upgrade every replica before setting
-- --damage_assessor_url.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('ISSUE_LABEL', 'VOID_LABEL', 'REQUEST_FULFILLMENT', 'REQUEST_FULFILMENT',
                    'NOTIFY_CUSTOMER', 'ASSESS_EVIDENCE'));
