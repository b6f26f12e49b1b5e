-- Tenants. Every other row belongs to exactly one merchant.
CREATE TABLE merchants (
    merchant_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    create_time timestamptz NOT NULL DEFAULT now()
);
