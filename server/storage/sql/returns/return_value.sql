-- $1 merchant_id, $2 return_id. The return's worth: the snapshotted price x quantity over its lines.
SELECT coalesce(sum(rl.unit_price_minor * rl.quantity), 0)::bigint AS value_minor
  FROM return_lines rl
 WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid;
