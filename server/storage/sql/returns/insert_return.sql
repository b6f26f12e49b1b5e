-- $1 merchant_id, $2 order_id, $3 lines (JSON array), $4 currency_code, $5 upsell total,
-- $6 downsell total, $7 policy version, $8 restocking fee and $9 return shipping fee of the plan,
-- $10 the plan (SettlementPlan as proto JSON), $11 the order's shipping the plan refunds,
-- $12 a gift return's recipient (GiftRecipient as proto JSON; NULL for the buyer's return).
-- Inserts the return and its lines, adds their quantities to the order lines' returned_quantity
-- and what they paid to taken_paid_minor and taken_tax_minor, and, with a shipping refund, records
-- it as this return's (order_shipping_refunds), in one round trip. Each line carries the unit price and, for an
-- exchange, the quote as they are now: what the return promised, whatever a later order sync
-- says. The caller holds the order lines' locks and checked the quantities; the table's CHECK
-- guards them again.
WITH created AS (
    INSERT INTO returns (merchant_id, order_id, state, currency_code, upsell_minor, downsell_minor,
                         policy_version, plan_restocking_fee_minor, plan_return_shipping_fee_minor,
                         plan, shipping_refund_minor, gift_recipient)
    VALUES ($1::uuid, $2, 'REQUESTED', $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb)
 RETURNING return_id, create_time
), requested AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS l(
        position integer, order_line_id text, quantity integer, reason text, reason_note text,
        resolution text, replacement_sku text, unit_price_minor bigint,
        replacement_unit_minor bigint, upsell_minor bigint, downsell_minor bigint,
        plan_restocking_fee_minor bigint, paid_minor bigint, tax_minor bigint,
        bonus_credit_minor bigint)
), lines AS (
    INSERT INTO return_lines (merchant_id, return_id, position, order_id, order_line_id, quantity,
                              reason, reason_note, resolution, replacement_sku, unit_price_minor,
                              replacement_unit_minor, upsell_minor, downsell_minor,
                              plan_restocking_fee_minor, paid_minor, tax_minor, bonus_credit_minor)
    SELECT $1::uuid, created.return_id, r.position, $2, r.order_line_id, r.quantity, r.reason,
           r.reason_note, r.resolution, r.replacement_sku, r.unit_price_minor,
           r.replacement_unit_minor, r.upsell_minor, r.downsell_minor, r.plan_restocking_fee_minor,
           r.paid_minor, r.tax_minor, coalesce(r.bonus_credit_minor, 0)
      FROM created, requested r
), counted AS (
    UPDATE order_lines ol
       SET returned_quantity = ol.returned_quantity + r.quantity,
           taken_paid_minor = ol.taken_paid_minor + r.paid_minor,
           taken_tax_minor = ol.taken_tax_minor + r.tax_minor
      FROM requested r
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2 AND ol.line_id = r.order_line_id
), shipping AS (
    INSERT INTO order_shipping_refunds (merchant_id, order_id, return_id)
    SELECT $1::uuid, $2, created.return_id FROM created WHERE $11::bigint > 0
)
SELECT return_id::text, epoch_us(create_time) AS create_time_us FROM created;
