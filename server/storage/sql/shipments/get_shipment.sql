-- $1 merchant_id, $2 shipment_id.
SELECT shipment_id::text, order_id, coalesce(return_id::text, ''), direction, state, carrier,
       tracking_number, epoch_us(create_time), epoch_us(update_time), sku, quantity,
       label_format, encode(coalesce(label_document, ''::bytea), 'hex'), carrier_reference,
       epoch_us(last_event_time), version,
       CASE WHEN purpose <> '' THEN purpose WHEN direction = 'INBOUND' THEN 'RETURN_LABEL'
            ELSE 'REPLACEMENT' END,
       epoch_us(promise_time), epoch_us(delivered_time), coalesce(claim_id::text, ''),
       (SELECT coalesce(jsonb_agg(jsonb_build_object('order_line_id', sl.order_line_id,
                                                     'quantity', sl.quantity)
                                  ORDER BY sl.order_line_id), '[]')::text
          FROM shipment_lines sl
         WHERE sl.merchant_id = shipments.merchant_id AND sl.shipment_id = shipments.shipment_id)
  FROM shipments
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
