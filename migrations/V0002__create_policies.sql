-- A merchant's rules. Column defaults are the service's defaults (docs/policy.md).
CREATE TABLE policies (
    merchant_id                      uuid PRIMARY KEY REFERENCES merchants,
    return_window_days               integer NOT NULL DEFAULT 30 CHECK (return_window_days BETWEEN 1 AND 3650),
    restocking_fee_minor             bigint  NOT NULL DEFAULT 0 CHECK (restocking_fee_minor >= 0),
    return_shipping_fee_minor        bigint  NOT NULL DEFAULT 0 CHECK (return_shipping_fee_minor >= 0),
    instant_exchange_enabled         boolean NOT NULL DEFAULT true,
    instant_exchange_max_item_minor  bigint  NOT NULL DEFAULT 50000 CHECK (instant_exchange_max_item_minor >= 0),
    exchange_token_ttl_days          integer NOT NULL DEFAULT 14 CHECK (exchange_token_ttl_days BETWEEN 1 AND 365),
    charge_window_days               integer NOT NULL DEFAULT 14 CHECK (charge_window_days BETWEEN 1 AND 365),
    require_collateral               boolean NOT NULL DEFAULT false,
    claim_auto_approve_max_minor     bigint  NOT NULL DEFAULT 5000 CHECK (claim_auto_approve_max_minor >= 0),
    final_sale_skus                  text[]  NOT NULL DEFAULT '{}',
    version                          bigint  NOT NULL DEFAULT 1,
    update_time                      timestamptz NOT NULL DEFAULT now()
);
