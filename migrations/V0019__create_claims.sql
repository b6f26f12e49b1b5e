-- Claims (docs/claims.md): the order's own parcels, claims about them, evidence photos, and the
-- rules that adjudicate them. Additive only: the release before this one keeps running.

-- The order's own parcels ("forward shipments"), attached by UpsertOrder. purpose tells the kinds
-- of shipment apart: RETURN_LABEL (inbound), REPLACEMENT (exchange), ORDER (the order's own
-- parcel), RESHIP (a claim's replacement). '' is a row written by an older release: read it by
-- its direction (INBOUND = RETURN_LABEL, OUTBOUND = REPLACEMENT).
ALTER TABLE shipments
    ADD COLUMN purpose        text NOT NULL DEFAULT ''
        CHECK (purpose IN ('', 'RETURN_LABEL', 'REPLACEMENT', 'ORDER', 'RESHIP')),
    ADD COLUMN promise_time   timestamptz,
    ADD COLUMN delivered_time timestamptz,
    ADD COLUMN claim_id       uuid;
CREATE INDEX shipments_by_claim ON shipments (merchant_id, claim_id) WHERE claim_id IS NOT NULL;

-- What each forward parcel holds.
CREATE TABLE shipment_lines (
    merchant_id   uuid NOT NULL,
    shipment_id   uuid NOT NULL,
    order_id      text NOT NULL,
    order_line_id text NOT NULL,
    quantity      integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (merchant_id, shipment_id, order_line_id),
    FOREIGN KEY (merchant_id, shipment_id) REFERENCES shipments
);
CREATE INDEX shipment_lines_by_order ON shipment_lines (merchant_id, order_id, order_line_id);

-- Units of a line covered by claims that are not denied; with returned_quantity it never
-- exceeds what was bought, so a unit is returned or claimed at most once.
ALTER TABLE order_lines
    ADD COLUMN claimed_quantity integer NOT NULL DEFAULT 0 CHECK (claimed_quantity >= 0);
ALTER TABLE order_lines
    ADD CONSTRAINT order_lines_covered_at_most_bought
        CHECK (returned_quantity + claimed_quantity <= quantity);

-- The merchant's claim rules (docs/claims.md). claim_auto_approve_max_minor (V0002) is the most
-- a claim may be worth to be approved without a person.
ALTER TABLE policies
    ADD COLUMN claim_lost_grace_days       integer NOT NULL DEFAULT 3
        CHECK (claim_lost_grace_days BETWEEN 0 AND 90),
    ADD COLUMN claim_window_days           integer NOT NULL DEFAULT 30
        CHECK (claim_window_days BETWEEN 1 AND 365),
    ADD COLUMN claim_stolen_window_days    integer NOT NULL DEFAULT 7
        CHECK (claim_stolen_window_days BETWEEN 1 AND 365),
    ADD COLUMN claim_damage_window_days    integer NOT NULL DEFAULT 14
        CHECK (claim_damage_window_days BETWEEN 1 AND 365),
    ADD COLUMN claim_max_customer_claims   integer NOT NULL DEFAULT 2
        CHECK (claim_max_customer_claims BETWEEN 0 AND 1000),
    ADD COLUMN claim_photo_required        boolean NOT NULL DEFAULT true,
    ADD COLUMN claim_min_damage_confidence_milli integer NOT NULL DEFAULT 600
        CHECK (claim_min_damage_confidence_milli BETWEEN 0 AND 1000),
    ADD COLUMN claim_resolution_preference text NOT NULL DEFAULT 'RESHIP'
        CHECK (claim_resolution_preference IN ('RESHIP', 'REFUND'));

CREATE TABLE claims (
    merchant_id         uuid NOT NULL REFERENCES merchants,
    claim_id            uuid NOT NULL DEFAULT gen_random_uuid(),
    order_id            text NOT NULL,
    shipment_id         uuid NOT NULL,
    type                text NOT NULL CHECK (type IN ('LOST', 'DAMAGED', 'STOLEN', 'WRONG_ITEM')),
    state               text NOT NULL CHECK (state IN ('FILED', 'AWAITING_EVIDENCE', 'IN_REVIEW',
                                                       'APPROVED', 'DENIED', 'RESOLVED')),
    description         text NOT NULL DEFAULT '',
    customer_id         text NOT NULL DEFAULT '',
    currency_code       text NOT NULL,
    claim_value_minor   bigint NOT NULL CHECK (claim_value_minor >= 0),
    resolution          text NOT NULL DEFAULT '' CHECK (resolution IN ('', 'RESHIP', 'REFUND')),
    refund_minor        bigint NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
    review_reasons      jsonb NOT NULL DEFAULT '[]',
    decision_note       text NOT NULL DEFAULT '',
    -- A reviewer asked for more evidence: new evidence returns the claim to review, not to the
    -- automation.
    evidence_requested  boolean NOT NULL DEFAULT false,
    version             bigint NOT NULL DEFAULT 1,
    create_time         timestamptz NOT NULL DEFAULT now(),
    update_time         timestamptz NOT NULL DEFAULT now(),
    resolve_time        timestamptz,
    PRIMARY KEY (merchant_id, claim_id),
    FOREIGN KEY (merchant_id, order_id) REFERENCES orders
);
CREATE INDEX claims_by_time ON claims (merchant_id, create_time, claim_id);
CREATE INDEX claims_by_order ON claims (merchant_id, order_id, create_time);
CREATE INDEX claims_by_customer ON claims (merchant_id, customer_id, create_time) WHERE customer_id <> '';
CREATE INDEX claims_in_review ON claims (merchant_id, create_time, claim_id) WHERE state = 'IN_REVIEW';

CREATE TABLE claim_lines (
    merchant_id      uuid NOT NULL,
    claim_id         uuid NOT NULL,
    position         integer NOT NULL,
    order_line_id    text NOT NULL,
    sku              text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (merchant_id, claim_id, position),
    FOREIGN KEY (merchant_id, claim_id) REFERENCES claims
);

-- Evidence files. Their bytes live behind the blob-store interface (server/integrations/
-- blob_store.h); the default store keeps them in claim_evidence_chunks. state UPLOADING until the
-- last chunk arrives; then sha256, content_type and the damage assessment are set.
CREATE TABLE claim_evidence (
    merchant_id         uuid NOT NULL,
    evidence_id         uuid NOT NULL DEFAULT gen_random_uuid(),
    claim_id            uuid NOT NULL,
    file_name           text NOT NULL DEFAULT '',
    content_type        text NOT NULL DEFAULT '',
    state               text NOT NULL CHECK (state IN ('UPLOADING', 'COMPLETE')),
    received_bytes      bigint NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
    sha256              text NOT NULL DEFAULT '',
    blob_store          text NOT NULL DEFAULT 'postgres',
    assessment_label    text NOT NULL DEFAULT '',
    assessment_confidence_milli integer NOT NULL DEFAULT 0,
    assessment_model    text NOT NULL DEFAULT '',
    create_time         timestamptz NOT NULL DEFAULT now(),
    complete_time       timestamptz,
    PRIMARY KEY (merchant_id, evidence_id),
    FOREIGN KEY (merchant_id, claim_id) REFERENCES claims
);
CREATE INDEX claim_evidence_by_claim ON claim_evidence (merchant_id, claim_id, create_time);

CREATE TABLE claim_evidence_chunks (
    merchant_id uuid NOT NULL,
    evidence_id uuid NOT NULL,
    byte_offset bigint NOT NULL CHECK (byte_offset >= 0),
    data        bytea NOT NULL,
    PRIMARY KEY (merchant_id, evidence_id, byte_offset),
    FOREIGN KEY (merchant_id, evidence_id) REFERENCES claim_evidence
);

-- Decisions: what a person's override did, and the filters of ListDecisions.
ALTER TABLE decisions
    ADD COLUMN override_time timestamptz;
CREATE INDEX decisions_by_outcome ON decisions (merchant_id, outcome, create_time DESC);
