-- $1 merchant_id. Serialises the merchant's endpoint creations (the per-merchant limit is
-- counted under it); NO KEY UPDATE, so rows that reference the merchant are not held up.
SELECT merchant_id FROM merchants WHERE merchant_id = $1::uuid FOR NO KEY UPDATE;
