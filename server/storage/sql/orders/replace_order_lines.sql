-- $1 merchant_id, $2 order_id, $3 lines (JSON array). Makes the order's lines exactly $3,
-- keeping returned_quantity and what returns and claims took of lines that stay (the caller
-- checked no line in use is dropped). Each line carries what it paid (docs/money.md) and its
-- discounts and tax lines as proto JSON (money).
WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS l(
        line_id text, position integer, sku text, product_id text, title text,
        variant_attributes jsonb, quantity integer, unit_price_minor bigint, category text,
        money jsonb, paid_minor bigint, tax_minor bigint)
), removed AS (
    DELETE FROM order_lines ol
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2
       AND ol.line_id NOT IN (SELECT line_id FROM incoming)
)
INSERT INTO order_lines (merchant_id, order_id, line_id, position, sku, product_id, title,
                         variant_attributes, quantity, unit_price_minor, category, money,
                         paid_minor, tax_minor)
SELECT $1::uuid, $2, line_id, position, sku, product_id, title, variant_attributes, quantity,
       unit_price_minor, category, money, paid_minor, tax_minor
  FROM incoming
ON CONFLICT (merchant_id, order_id, line_id) DO UPDATE
   SET position           = EXCLUDED.position,
       sku                = EXCLUDED.sku,
       product_id         = EXCLUDED.product_id,
       title              = EXCLUDED.title,
       variant_attributes = EXCLUDED.variant_attributes,
       quantity           = EXCLUDED.quantity,
       unit_price_minor   = EXCLUDED.unit_price_minor,
       category           = EXCLUDED.category,
       money              = EXCLUDED.money,
       paid_minor         = EXCLUDED.paid_minor,
       tax_minor          = EXCLUDED.tax_minor;
