-- $1 merchant_id, $2 after sku ('' for the first page), $3 limit.
SELECT sku, on_hand, reserved, currency_code, unit_price_minor,
       epoch_us(update_time) AS update_time_us, product_id, size, size_rank
  FROM inventory_levels
 WHERE merchant_id = $1::uuid AND sku > $2
 ORDER BY sku
 LIMIT $3;
