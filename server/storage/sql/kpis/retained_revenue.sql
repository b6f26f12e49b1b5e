-- $1 merchant_id, $2 first day, $3 last day (YYYY-MM-DD, UTC days), $4 sku ('' for all).
-- Of the returns resolved in the range, per day and currency and for the whole range per
-- currency (the rows whose day is NULL), read live like refund_times.sql: the bonus credit the
-- resolutions gave (docs/policy.md, "Bonus credit"), the value of the lines settled as store
-- credit or an exchange (retained), and the value of every line settled. Withheld lines count in
-- neither value (nothing was settled for them). A line's bonus is what resolve_received_return.cc
-- gave it: a store-credit line's quoted bonus, an exchange line's at most its upsell, and only
-- when it was received OK, not withheld and the return's bonus not withdrawn; so a return's lines add up to its
-- bonus_credit_minor + exchange_bonus_minor. With a SKU: only that SKU's lines.
WITH settled AS (
    SELECT (r.resolve_time AT TIME ZONE 'UTC')::date AS day, r.currency_code,
           rl.quantity::bigint * rl.unit_price_minor AS value, rl.resolution, rl.withheld,
           CASE WHEN rl.condition <> 'OK' OR rl.withheld OR r.bonus_withdrawn THEN 0
                WHEN rl.resolution = 'STORE_CREDIT' THEN rl.bonus_credit_minor
                WHEN rl.resolution = 'EXCHANGE'
                    THEN least(rl.bonus_credit_minor, greatest(rl.upsell_minor, 0))
                ELSE 0 END AS bonus
      FROM returns r
      JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
      JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                         AND ol.line_id = rl.order_line_id
     WHERE r.merchant_id = $1::uuid
       AND r.resolve_time >= ($2::date::timestamp AT TIME ZONE 'UTC')
       AND r.resolve_time < (($3::date + 1)::timestamp AT TIME ZONE 'UTC')
       AND ($4 = '' OR ol.sku = $4)
)
SELECT to_char(day, 'YYYY-MM-DD') AS day, currency_code,
       sum(bonus)::bigint AS bonus_credit_minor,
       coalesce(sum(value) FILTER (WHERE NOT withheld
                                     AND resolution IN ('STORE_CREDIT', 'EXCHANGE')), 0)::bigint
           AS retained_value_minor,
       coalesce(sum(value) FILTER (WHERE NOT withheld), 0)::bigint AS settled_value_minor
  FROM settled
 GROUP BY GROUPING SETS ((day, currency_code), (currency_code));
