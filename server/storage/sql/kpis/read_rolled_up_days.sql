-- $1 merchant_id, $2 first day, $3 last day (inclusive), $4 sku ('' for the whole merchant).
-- The rolled-up figures, in kpi_daily's column order (storage/kpi_store.h KpiDay).
SELECT to_char(day, 'YYYY-MM-DD') AS day, currency_code, orders, items_sold, revenue_minor, returns,
       orders_returned, items_returned, returned_revenue_minor, refund_items, store_credit_items,
       exchange_items, tokens_issued, tokens_settled, returns_resolved, refunded_minor,
       store_credit_minor, written_off_minor, fees_minor, labels, claims_filed, claims_decided,
       claims_approved, bonus_credit_minor, retained_value_minor, settled_value_minor
  FROM kpi_daily
 WHERE merchant_id = $1::uuid AND sku = $4 AND day BETWEEN $2::date AND $3::date;
