-- $1 merchant_id, $2 order_id, $3 shipment_id, $4 type, $5 description, $6 customer_id,
-- $7 currency_code, $8 claim_value_minor, $9 lines (JSON array of {position, order_line_id, sku,
-- quantity, unit_price_minor, paid_minor, tax_minor}). Inserts the claim and its lines and covers
-- the units (order_lines.claimed_quantity) and what they paid (taken_paid_minor,
-- taken_tax_minor), in one round trip. The caller holds the order lines' locks
-- and checked the quantities; the table's CHECK is the last word.
WITH claim AS (
    INSERT INTO claims (merchant_id, order_id, shipment_id, type, state, description, customer_id,
                        currency_code, claim_value_minor, policy_version)
    VALUES ($1::uuid, $2, $3::uuid, $4, 'FILED', $5, $6, $7, $8,
            (SELECT version FROM policies WHERE merchant_id = $1::uuid))
 RETURNING claim_id
), lines AS (
    SELECT * FROM jsonb_to_recordset($9::jsonb)
        AS l(position integer, order_line_id text, sku text, quantity integer, unit_price_minor bigint,
             paid_minor bigint, tax_minor bigint)
), inserted AS (
    INSERT INTO claim_lines (merchant_id, claim_id, position, order_line_id, sku, quantity,
                             unit_price_minor, paid_minor, tax_minor)
    SELECT $1::uuid, claim.claim_id, l.position, l.order_line_id, l.sku, l.quantity, l.unit_price_minor,
           l.paid_minor, l.tax_minor
      FROM claim, lines l
), covered AS (
    UPDATE order_lines ol
       SET claimed_quantity = ol.claimed_quantity + l.quantity,
           taken_paid_minor = ol.taken_paid_minor + l.paid_minor,
           taken_tax_minor = ol.taken_tax_minor + l.tax_minor
      FROM lines l
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2 AND ol.line_id = l.order_line_id
)
SELECT claim_id::text FROM claim;
