-- The audit record of every automated decision and of any human override of it.
CREATE TABLE decisions (
    merchant_id      uuid NOT NULL REFERENCES merchants,
    decision_id      uuid NOT NULL DEFAULT gen_random_uuid(),
    kind             text NOT NULL,
    subject          text NOT NULL,
    inputs           jsonb NOT NULL DEFAULT '{}',
    rule_version     text NOT NULL,
    score_milli      integer NOT NULL DEFAULT 0,
    outcome          text NOT NULL CHECK (outcome IN ('APPROVED', 'ESCALATED', 'DENIED')),
    reasons          jsonb NOT NULL DEFAULT '[]',
    override_outcome text,
    override_actor   text NOT NULL DEFAULT '',
    override_note    text NOT NULL DEFAULT '',
    create_time      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, decision_id)
);
CREATE INDEX decisions_by_time ON decisions (merchant_id, create_time DESC, decision_id);
CREATE INDEX decisions_by_subject ON decisions (merchant_id, subject, create_time DESC);
