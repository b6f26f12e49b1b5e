-- Microsecond conversions, so times cross the wire as exact integers.
CREATE FUNCTION epoch_us(t timestamptz) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (extract(epoch FROM t) * 1000000)::bigint;

CREATE FUNCTION from_epoch_us(us bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'epoch'::timestamptz + us * interval '1 microsecond';

-- An order as the API shows it: one row with its lines as a JSON array.
CREATE VIEW order_resources AS
SELECT o.merchant_id,
       o.order_id,
       o.customer_id,
       o.customer_email,
       o.currency_code,
       o.shipping_address,
       epoch_us(o.order_time)     AS order_time_us,
       epoch_us(o.delivered_time) AS delivered_time_us,
       epoch_us(o.create_time)    AS create_time_us,
       epoch_us(o.update_time)    AS update_time_us,
       o.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'line_id', ol.line_id, 'sku', ol.sku, 'product_id', ol.product_id,
                   'title', ol.title, 'variant_attributes', ol.variant_attributes,
                   'quantity', ol.quantity, 'unit_price_minor', ol.unit_price_minor,
                   'returned_quantity', ol.returned_quantity) ORDER BY ol.position), '[]')
          FROM order_lines ol
         WHERE ol.merchant_id = o.merchant_id AND ol.order_id = o.order_id) AS lines
  FROM orders o;

-- A return as the API shows it: one row with its lines as a JSON array.
CREATE VIEW return_resources AS
SELECT r.merchant_id,
       r.return_id,
       r.order_id,
       r.state,
       r.cancel_reason,
       r.create_time,
       epoch_us(r.create_time) AS create_time_us,
       epoch_us(r.update_time) AS update_time_us,
       r.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'order_line_id', rl.order_line_id, 'quantity', rl.quantity,
                   'reason', rl.reason, 'reason_note', rl.reason_note,
                   'resolution', rl.resolution, 'replacement_sku', rl.replacement_sku,
                   'condition', rl.condition) ORDER BY rl.position), '[]')
          FROM return_lines rl
         WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id) AS lines
  FROM returns r;
