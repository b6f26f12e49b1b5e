-- $1 merchant_id, $2 first day, $3 last day (inclusive; both over), both YYYY-MM-DD. Writes the
-- days' figures and resolution-time buckets once (a day already rolled up is left as it is) and
-- marks them done. A day not final yet (as in clock.sql) is skipped whatever the caller passed:
-- its figures can still change, and a marked day is never computed again.
-- The caller holds the merchant's rollup lock.
WITH todo AS (
    SELECT d::date AS day
      FROM generate_series($2::date, $3::date, interval '1 day') d
     WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = $1::uuid AND k.day = d::date)
       AND d::date <= ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1
), figures AS (
    -- A day, SKU and currency with a resolution has a kpi_figures row (returns_resolved), so
    -- the retention sums only ever join one.
    INSERT INTO kpi_daily (merchant_id, day, sku, currency_code, orders, items_sold, revenue_minor,
                           returns, orders_returned, items_returned, returned_revenue_minor,
                           refund_items, store_credit_items, exchange_items, tokens_issued,
                           tokens_settled, returns_resolved, refunded_minor, store_credit_minor,
                           written_off_minor, fees_minor, labels, claims_filed, claims_decided,
                           claims_approved, bonus_credit_minor, retained_value_minor,
                           settled_value_minor)
    SELECT $1::uuid, f.day, f.sku, f.currency_code, f.orders, f.items_sold, f.revenue_minor,
           f.returns, f.orders_returned, f.items_returned, f.returned_revenue_minor,
           f.refund_items, f.store_credit_items, f.exchange_items, f.tokens_issued,
           f.tokens_settled, f.returns_resolved, f.refunded_minor, f.store_credit_minor,
           f.written_off_minor, f.fees_minor, f.labels, f.claims_filed, f.claims_decided,
           f.claims_approved, coalesce(r.bonus_credit_minor, 0),
           coalesce(r.retained_value_minor, 0), coalesce(r.settled_value_minor, 0)
      FROM kpi_figures($1::uuid, $2::date, $3::date + 1) f
      LEFT JOIN kpi_retention_figures($1::uuid, $2::date, $3::date + 1) r
        ON r.merchant_id = $1::uuid AND r.day = f.day AND r.sku = f.sku
       AND r.currency_code = f.currency_code
     WHERE f.day IN (SELECT day FROM todo)
    ON CONFLICT DO NOTHING
), buckets AS (
    INSERT INTO kpi_resolution_days
    SELECT $1::uuid, b.*
      FROM kpi_resolution_buckets($1::uuid, $2::date, $3::date + 1) b
     WHERE b.day IN (SELECT day FROM todo)
    ON CONFLICT DO NOTHING
)
INSERT INTO kpi_rollup_days (merchant_id, day)
SELECT $1::uuid, day FROM todo
ON CONFLICT DO NOTHING;
