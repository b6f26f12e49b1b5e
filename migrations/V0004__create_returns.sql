-- Returns and the order lines they send back.
CREATE TABLE returns (
    merchant_id   uuid NOT NULL,
    return_id     uuid NOT NULL DEFAULT gen_random_uuid(),
    order_id      text NOT NULL,
    state         text NOT NULL CHECK (state IN ('REQUESTED', 'APPROVED', 'LABEL_ISSUED',
                  'IN_TRANSIT', 'DELIVERED', 'RECEIVED', 'RESOLVED', 'REJECTED', 'CANCELLED')),
    cancel_reason text NOT NULL DEFAULT '',
    version       bigint NOT NULL DEFAULT 1,
    create_time   timestamptz NOT NULL DEFAULT now(),
    update_time   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, return_id),
    FOREIGN KEY (merchant_id, order_id) REFERENCES orders
);
CREATE INDEX returns_by_merchant_time ON returns (merchant_id, create_time, return_id);
CREATE INDEX returns_by_order_time ON returns (merchant_id, order_id, create_time, return_id);

CREATE TABLE return_lines (
    merchant_id     uuid NOT NULL,
    return_id       uuid NOT NULL,
    position        integer NOT NULL,
    order_id        text NOT NULL,
    order_line_id   text NOT NULL,
    quantity        integer NOT NULL CHECK (quantity > 0),
    reason          text NOT NULL,
    reason_note     text NOT NULL DEFAULT '',
    resolution      text NOT NULL CHECK (resolution IN ('REFUND', 'STORE_CREDIT', 'EXCHANGE')),
    replacement_sku text NOT NULL DEFAULT '',
    condition       text NOT NULL DEFAULT 'UNSPECIFIED',
    PRIMARY KEY (merchant_id, return_id, position),
    FOREIGN KEY (merchant_id, return_id) REFERENCES returns,
    -- A line that any return ever referenced cannot be removed from its order.
    FOREIGN KEY (merchant_id, order_id, order_line_id) REFERENCES order_lines
);
CREATE INDEX return_lines_by_order_line ON return_lines (merchant_id, order_id, order_line_id);
