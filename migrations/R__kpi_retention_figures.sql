-- Of the returns resolved in [from_day, to_day), by the UTC day they resolved, SKU ('' for all)
-- and currency (docs/kpis.md): the bonus credit the resolutions gave (docs/policy.md, "Bonus
-- credit"), the value paid for the lines settled as store credit or an exchange (retained), and
-- the value paid for every line settled as a refund, store credit or an exchange. Withheld lines
-- count in neither value (nothing was settled for them). A line's bonus is what
-- server/app/returns/resolve_received_return.cc gave it: a store-credit line's quoted bonus, an
-- exchange line's at most its upsell, and only when it was received OK, not withheld and the
-- return's bonus not withdrawn; so a return's lines add up to its bonus_credit_minor +
-- exchange_bonus_minor (an invariant of tests/support/invariants.cc). A line's value is what its
-- units paid (paid_minor; price x quantity for returns from before money as paid). Each row names
-- the merchant, so a statement joins it by merchant like any table.
CREATE OR REPLACE FUNCTION kpi_retention_figures(m uuid, from_day date, to_day date)
RETURNS TABLE (merchant_id uuid, day date, sku text, currency_code text, bonus_credit_minor bigint,
               retained_value_minor bigint, settled_value_minor bigint)
LANGUAGE sql STABLE AS $$
SELECT m, d, coalesce(s, ''), c, sum(bonus)::bigint,
       coalesce(sum(value) FILTER (WHERE NOT withheld
                                     AND resolution IN ('STORE_CREDIT', 'EXCHANGE')), 0)::bigint,
       coalesce(sum(value) FILTER (WHERE NOT withheld
                                     AND resolution IN ('REFUND', 'STORE_CREDIT', 'EXCHANGE')),
                0)::bigint
  FROM (SELECT (r.resolve_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, r.currency_code AS c,
               coalesce(rl.paid_minor, rl.quantity::bigint * rl.unit_price_minor) AS value,
               rl.resolution, rl.withheld,
               CASE WHEN rl.condition <> 'OK' OR rl.withheld OR r.bonus_withdrawn THEN 0
                    WHEN rl.resolution = 'STORE_CREDIT' THEN rl.bonus_credit_minor
                    WHEN rl.resolution = 'EXCHANGE'
                        THEN least(rl.bonus_credit_minor, greatest(rl.upsell_minor, 0))
                    ELSE 0 END AS bonus
          FROM returns r
          JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
          JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                             AND ol.line_id = rl.order_line_id
         WHERE r.merchant_id = m AND r.resolve_time >= (from_day::timestamp AT TIME ZONE 'UTC')
           AND r.resolve_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
 GROUP BY GROUPING SETS ((d, c), (d, c, s))
$$;
