-- Policy as versioned data (docs/policy.md): every version is kept with who made it and why;
-- returns, exchange tokens and claims record the version they were decided under. Additive only.

ALTER TABLE policies
    ADD COLUMN currency_code text NOT NULL DEFAULT ''
        CHECK (currency_code = '' OR currency_code ~ '^[A-Z]{3}$');

-- One row per version after the first change: the policy (returns.v1.Policy as JSON) as it was.
-- The version a merchant starts with is written when it is first replaced.
CREATE TABLE policy_versions (
    merchant_id uuid NOT NULL REFERENCES merchants,
    version     bigint NOT NULL CHECK (version >= 1),
    policy      jsonb NOT NULL,
    actor       text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    create_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, version)
);

-- The version each was decided under (NULL: decided before versions were recorded).
ALTER TABLE returns ADD COLUMN policy_version bigint;
ALTER TABLE exchange_tokens ADD COLUMN policy_version bigint;
ALTER TABLE claims ADD COLUMN policy_version bigint;
