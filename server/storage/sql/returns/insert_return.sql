-- $1 merchant_id, $2 order_id, $3 lines (JSON array). Inserts the return and its lines and adds
-- their quantities to the order lines' returned_quantity, in one round trip. The caller holds
-- the order lines' locks and checked the quantities; the table's CHECK guards them again.
WITH created AS (
    INSERT INTO returns (merchant_id, order_id, state)
    VALUES ($1::uuid, $2, 'REQUESTED')
 RETURNING return_id, create_time
), requested AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS l(
        position integer, order_line_id text, quantity integer, reason text, reason_note text,
        resolution text, replacement_sku text)
), lines AS (
    INSERT INTO return_lines (merchant_id, return_id, position, order_id, order_line_id, quantity,
                              reason, reason_note, resolution, replacement_sku)
    SELECT $1::uuid, created.return_id, r.position, $2, r.order_line_id, r.quantity, r.reason,
           r.reason_note, r.resolution, r.replacement_sku
      FROM created, requested r
), counted AS (
    UPDATE order_lines ol
       SET returned_quantity = ol.returned_quantity + r.quantity
      FROM requested r
     WHERE ol.merchant_id = $1::uuid AND ol.order_id = $2 AND ol.line_id = r.order_line_id
)
SELECT return_id::text, epoch_us(create_time) FROM created;
