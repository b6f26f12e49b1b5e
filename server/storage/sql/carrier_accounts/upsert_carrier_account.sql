-- $1 merchant_id, $2 carrier, $3 api_key_sealed (NULL: keep the stored one), $4 api_key_hint
-- (NULL: keep), $5 webhook_secret_sealed (NULL: keep), $6 settings (CarrierAccount JSON without
-- credentials). Creates or replaces the account; no row when the key is missing on a new one.
INSERT INTO carrier_accounts AS a
       (merchant_id, carrier, api_key_sealed, api_key_hint, webhook_secret_sealed, settings)
-- NOT NULL is checked on the row to insert before ON CONFLICT: '' stands in for a kept key.
SELECT $1::uuid, $2::text, COALESCE($3::text, ''), COALESCE($4::text, ''), $5::text, $6::jsonb
 WHERE $3::text IS NOT NULL
    OR EXISTS (SELECT 1 FROM carrier_accounts WHERE merchant_id = $1::uuid AND carrier = $2::text)
    ON CONFLICT (merchant_id, carrier) DO UPDATE
   SET api_key_sealed = COALESCE($3::text, a.api_key_sealed),
       api_key_hint = COALESCE($4::text, a.api_key_hint),
       webhook_secret_sealed = COALESCE(EXCLUDED.webhook_secret_sealed, a.webhook_secret_sealed),
       settings = EXCLUDED.settings, update_time = now()
RETURNING carrier, api_key_sealed, api_key_hint, webhook_secret_sealed, settings::text,
          epoch_us(create_time) AS create_time_us, epoch_us(update_time) AS update_time_us;
