-- Orchestration (docs/lifecycle.md): automatic approval, labels and carrier events, durable
-- jobs for every call to another system, and the resolution recorded at receipt.

-- Returns worth at most this much (sum of price x quantity) are approved without a person;
-- 0 turns automatic approval off (the default: every return waits for an agent).
ALTER TABLE policies
    ADD COLUMN auto_approve_max_minor bigint NOT NULL DEFAULT 0 CHECK (auto_approve_max_minor >= 0),
    ADD COLUMN default_carrier text NOT NULL DEFAULT 'sandbox';

-- What a return resolved to, in the order's currency (set once, when it becomes RESOLVED).
ALTER TABLE returns
    ADD COLUMN refund_minor       bigint NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
    ADD COLUMN store_credit_minor bigint NOT NULL DEFAULT 0 CHECK (store_credit_minor >= 0),
    ADD COLUMN fees_minor         bigint NOT NULL DEFAULT 0 CHECK (fees_minor >= 0),
    ADD COLUMN resolve_time       timestamptz;
ALTER TABLE return_lines
    ADD COLUMN refund_minor       bigint NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
    ADD COLUMN store_credit_minor bigint NOT NULL DEFAULT 0 CHECK (store_credit_minor >= 0),
    ADD COLUMN withheld           boolean NOT NULL DEFAULT false;

-- Labels and tracking. A tracking number belongs to one shipment of a carrier.
ALTER TABLE shipments
    ADD COLUMN label_format      text NOT NULL DEFAULT '',
    ADD COLUMN label_document    bytea,
    ADD COLUMN carrier_reference text NOT NULL DEFAULT '',
    ADD COLUMN last_event_time   timestamptz,
    ADD COLUMN version           bigint NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX shipments_by_tracking ON shipments (merchant_id, carrier, tracking_number)
    WHERE tracking_number <> '';
CREATE INDEX shipments_by_return ON shipments (merchant_id, return_id) WHERE return_id IS NOT NULL;
CREATE INDEX shipments_by_time ON shipments (merchant_id, create_time, shipment_id);

-- Every carrier event ever received, once: (carrier, event_id) is the carrier's own identity of
-- the event, so a redelivered webhook or a replayed batch is recognised and changes nothing.
CREATE TABLE carrier_events (
    merchant_id     uuid NOT NULL,
    carrier         text NOT NULL,
    event_id        text NOT NULL,
    tracking_number text NOT NULL,
    shipment_id     uuid,
    code            text NOT NULL,
    event_time      timestamptz NOT NULL,
    location        text NOT NULL DEFAULT '',
    outcome         text NOT NULL,
    receive_time    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, carrier, event_id)
);

-- Durable jobs: each is one call to another system (carrier, warehouse, notifications).
-- Workers in every returnsd take due jobs with FOR UPDATE SKIP LOCKED and a lease
-- (locked_until); a worker that dies mid-job loses its lease and another takes the job again.
-- dedup_key makes enqueuing an effect twice a no-op.
CREATE TABLE jobs (
    merchant_id  uuid NOT NULL,
    job_id       uuid NOT NULL DEFAULT gen_random_uuid(),
    kind         text NOT NULL CHECK (kind IN ('ISSUE_LABEL', 'VOID_LABEL', 'REQUEST_FULFILMENT',
                                               'NOTIFY_CUSTOMER')),
    dedup_key    text NOT NULL,
    order_id     text NOT NULL,
    subject_id   text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}',
    state        text NOT NULL DEFAULT 'PENDING'
                 CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'DEAD')),
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
    run_after    timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    last_error   text NOT NULL DEFAULT '',
    create_time  timestamptz NOT NULL DEFAULT now(),
    update_time  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, job_id),
    UNIQUE (merchant_id, dedup_key)
);
CREATE INDEX jobs_due ON jobs (run_after) WHERE state IN ('PENDING', 'RUNNING');
CREATE INDEX jobs_by_state ON jobs (merchant_id, state, create_time, job_id);

-- The return view gains the resolution (columns appended, so the view can be replaced).
CREATE OR REPLACE VIEW return_resources AS
SELECT r.merchant_id,
       r.return_id,
       r.order_id,
       r.state,
       r.cancel_reason,
       r.create_time,
       epoch_us(r.create_time) AS create_time_us,
       epoch_us(r.update_time) AS update_time_us,
       r.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'order_line_id', rl.order_line_id, 'quantity', rl.quantity,
                   'reason', rl.reason, 'reason_note', rl.reason_note,
                   'resolution', rl.resolution, 'replacement_sku', rl.replacement_sku,
                   'condition', rl.condition, 'refund_minor', rl.refund_minor,
                   'store_credit_minor', rl.store_credit_minor, 'withheld', rl.withheld)
                   ORDER BY rl.position), '[]')
          FROM return_lines rl
         WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id) AS lines,
       (SELECT o.currency_code FROM orders o
         WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id) AS currency_code,
       r.refund_minor,
       r.store_credit_minor,
       r.fees_minor,
       epoch_us(r.resolve_time) AS resolve_time_us
  FROM returns r;
