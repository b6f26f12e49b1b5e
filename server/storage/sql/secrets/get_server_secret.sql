-- $1 secret name. Hex, so it travels as text.
SELECT encode(secret, 'hex') AS secret_hex FROM server_secrets WHERE name = $1;
