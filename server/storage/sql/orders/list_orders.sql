-- $1 merchant_id, $2 after order_id ('' for the first page), $3 limit.
SELECT order_id, customer_id, customer_email, currency_code, shipping_address::text,
       order_time_us, delivered_time_us, create_time_us, update_time_us, version, lines::text,
       tax_mode, money::text, shipping_paid_minor, shipping_tax_minor, payments::text,
       has_gift_code
  FROM order_resources
 WHERE merchant_id = $1::uuid AND order_id > $2
 ORDER BY order_id
 LIMIT $3;
