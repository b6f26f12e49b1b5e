-- $1 merchant_id, $2 carrier. Deletes the account; returns it as it was (no row: none).
DELETE FROM carrier_accounts WHERE merchant_id = $1::uuid AND carrier = $2
RETURNING carrier, api_key_sealed, api_key_hint, webhook_secret_sealed, settings::text,
          epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us;
