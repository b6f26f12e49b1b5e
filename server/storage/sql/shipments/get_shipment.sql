-- $1 merchant_id, $2 shipment_id.
SELECT shipment_id::text, order_id, coalesce(return_id::text, ''), direction, state, carrier,
       tracking_number, epoch_us(create_time), epoch_us(update_time), sku, quantity,
       label_format, encode(coalesce(label_document, ''::bytea), 'hex'), carrier_reference,
       epoch_us(last_event_time), version
  FROM shipments
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
