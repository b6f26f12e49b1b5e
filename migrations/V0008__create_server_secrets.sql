-- Secrets shared by every replica, made once when the schema is created. page_token signs
-- pagination cursors (AIP-158) so clients cannot forge them. 256 bits from two v4 UUIDs' hex.
CREATE TABLE server_secrets (
    name   text PRIMARY KEY,
    secret bytea NOT NULL CHECK (length(secret) >= 16)
);
INSERT INTO server_secrets (name, secret)
VALUES ('page_token', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
