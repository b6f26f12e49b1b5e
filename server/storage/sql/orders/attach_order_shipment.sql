-- $1 merchant_id, $2 order_id, $3 carrier, $4 tracking_number, $5 promise_time (µs), $6 lines
-- (JSON array of {order_line_id, quantity}). Attaches the order's parcel unless this carrier's
-- tracking number is attached already (then no row). The caller holds the order's line locks.
WITH parcel AS (
    INSERT INTO shipments (merchant_id, order_id, direction, state, carrier, tracking_number,
                           purpose, promise_time)
    VALUES ($1::uuid, $2, 'OUTBOUND', 'LABEL_CREATED', $3, $4, 'ORDER', from_epoch_us($5::bigint))
    ON CONFLICT (merchant_id, carrier, tracking_number) WHERE tracking_number <> '' DO NOTHING
 RETURNING shipment_id
), contents AS (
    INSERT INTO shipment_lines (merchant_id, shipment_id, order_id, order_line_id, quantity)
    SELECT $1::uuid, parcel.shipment_id, $2, l.order_line_id, l.quantity
      FROM parcel, jsonb_to_recordset($6::jsonb) AS l(order_line_id text, quantity integer)
)
SELECT shipment_id::text FROM parcel;
