-- $1 merchant_id. The merchant's accounts, by carrier.
SELECT carrier, api_key_sealed, api_key_hint, webhook_secret_sealed, settings::text,
       epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us
  FROM carrier_accounts
 WHERE merchant_id = $1::uuid
 ORDER BY carrier;
