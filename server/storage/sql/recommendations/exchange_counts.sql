-- $1 merchant_id, $2 SKUs (a JSON array: every variant of the products asked about), $3 reasons
-- (a JSON array). The settled exchanges the model learns from.
SELECT sku, reason, replacement_sku, exchanges
  FROM exchange_affinities
 WHERE merchant_id = $1::uuid AND sku IN (SELECT jsonb_array_elements_text($2::jsonb))
   AND reason IN (SELECT jsonb_array_elements_text($3::jsonb));
