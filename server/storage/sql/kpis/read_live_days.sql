-- $1 merchant_id, $2 first day, $3 last day (inclusive), $4 sku ('' for the whole merchant).
-- Days not over yet, computed now, in read_rolled_up_days.sql's columns.
SELECT to_char(f.day, 'YYYY-MM-DD') AS day, f.currency_code, f.orders, f.items_sold,
       f.revenue_minor, f.returns, f.orders_returned, f.items_returned, f.returned_revenue_minor,
       f.refund_items, f.store_credit_items, f.exchange_items, f.tokens_issued, f.tokens_settled,
       f.returns_resolved, f.refunded_minor, f.store_credit_minor, f.written_off_minor,
       f.fees_minor, f.labels, f.claims_filed, f.claims_decided, f.claims_approved,
       coalesce(r.bonus_credit_minor, 0) AS bonus_credit_minor,
       coalesce(r.retained_value_minor, 0) AS retained_value_minor,
       coalesce(r.settled_value_minor, 0) AS settled_value_minor
  FROM kpi_figures($1::uuid, $2::date, $3::date + 1) f
  LEFT JOIN kpi_retention_figures($1::uuid, $2::date, $3::date + 1) r
    ON r.merchant_id = $1::uuid AND r.day = f.day AND r.sku = f.sku
       AND r.currency_code = f.currency_code
 WHERE f.sku = $4;
