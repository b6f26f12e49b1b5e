-- $1 merchant_id, $2 first day, $3 last day (inclusive), $4 sku ('' for the whole merchant).
-- Days not over yet, computed now, in read_rolled_up_days.sql's columns.
SELECT to_char(day, 'YYYY-MM-DD') AS day, currency_code, orders, items_sold, revenue_minor, returns,
       orders_returned, items_returned, returned_revenue_minor, refund_items, store_credit_items,
       exchange_items, tokens_issued, tokens_settled, returns_resolved, refunded_minor,
       store_credit_minor, written_off_minor, fees_minor, labels, claims_filed, claims_decided,
       claims_approved
  FROM kpi_figures($1::uuid, $2::date, $3::date + 1)
 WHERE sku = $4;
