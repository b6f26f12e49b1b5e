-- Per-merchant API keys. Only a SHA-256 hash of each secret is stored; key_id is the public part
-- of the key, unique across merchants so a call can be authenticated by it.
CREATE TABLE api_keys (
    merchant_id  uuid NOT NULL REFERENCES merchants,
    key_id       text NOT NULL,
    secret_hash  text NOT NULL,
    role         text NOT NULL CHECK (role IN ('STOREFRONT', 'SUPPORT', 'ADMIN', 'CARRIER')),
    display_name text NOT NULL DEFAULT '',
    create_time  timestamptz NOT NULL DEFAULT now(),
    revoke_time  timestamptz,
    PRIMARY KEY (merchant_id, key_id)
);
CREATE UNIQUE INDEX api_keys_by_key_id ON api_keys (key_id);

-- Operator merchants run the installation: their ADMIN keys may create other merchants.
ALTER TABLE merchants ADD COLUMN operator boolean NOT NULL DEFAULT false;
