-- $1 merchant_id, $2 return_id. Locks the stock rows of the return's replacement SKUs in SKU
-- order. Taken right after the return and its tokens, before any change-feed write, by every
-- transaction that may reserve, release or take stock for the return: the one lock order is
-- return -> exchange tokens -> stock (SKU order) -> change feed (docs/lifecycle.md).
SELECT l.sku
  FROM inventory_levels l
 WHERE l.merchant_id = $1::uuid
   AND l.sku IN (SELECT rl.replacement_sku FROM return_lines rl
                  WHERE rl.merchant_id = $1::uuid AND rl.return_id = $2::uuid
                    AND rl.replacement_sku <> '')
 ORDER BY l.sku
   FOR UPDATE OF l;
