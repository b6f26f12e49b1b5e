-- $1 merchant_id, $2 carrier. The account; no row when the merchant has none at the carrier.
SELECT carrier, api_key_sealed, api_key_hint, webhook_secret_sealed, settings::text,
       epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us
  FROM carrier_accounts
 WHERE merchant_id = $1::uuid AND carrier = $2;
