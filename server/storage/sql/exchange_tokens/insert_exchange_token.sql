-- $1 merchant_id, $2 token_hash, $3 return_id, $4 order_id, $5 order_line_id, $6 replacement_sku,
-- $7 quantity, $8 currency_code, $9 upsell_minor, $10 downsell_minor, $11 charge_minor,
-- $12 collateral_reference, $13 collateral_minor, $14 collateral_expire (µs or ''),
-- $15 ttl in days, $16 charge_window_days, $17 transit_window_days.
-- expire_time is the database's now() plus the TTL: no replica's clock decides a deadline.
INSERT INTO exchange_tokens (merchant_id, token_hash, return_id, order_id, order_line_id,
       replacement_sku, quantity, state, currency_code, upsell_minor, downsell_minor, charge_minor,
       collateral_reference, collateral_minor, collateral_expire_time, expire_time,
       charge_window_days, transit_window_days, policy_version)
VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, 'ISSUED', $8, $9, $10, $11, $12, $13,
        from_epoch_us(NULLIF($14, '')::bigint), now() + $15::integer * interval '1 day', $16, $17,
        (SELECT version FROM policies WHERE merchant_id = $1::uuid))
RETURNING exchange_token_id::text;
