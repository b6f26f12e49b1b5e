-- $1 merchant_id, $2 order_id filter ('' for all), $3 return_id filter ('' for all),
-- $4 after create_time (µs), $5 after shipment_id, $6 limit. Oldest first, no label documents.
SELECT shipment_id::text, order_id, coalesce(return_id::text, '') AS return_id, direction,
       state, carrier, tracking_number, epoch_us(create_time) AS create_time_us,
       epoch_us(update_time) AS update_time_us, sku, quantity, label_format,
       '' AS label_document_hex, carrier_reference,
       epoch_us(last_event_time) AS last_event_time_us, version,
       CASE WHEN purpose <> '' THEN purpose WHEN direction = 'INBOUND' THEN 'RETURN_LABEL'
            ELSE 'REPLACEMENT' END AS purpose,
       epoch_us(promise_time) AS promise_time_us,
       epoch_us(delivered_time) AS delivered_time_us, coalesce(claim_id::text, '') AS claim_id,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('order_line_id', sl.order_line_id,
                                                     'quantity', sl.quantity)
                                  ORDER BY sl.order_line_id), '[]')::text
          FROM shipment_lines sl
         WHERE sl.merchant_id = shipments.merchant_id AND sl.shipment_id = shipments.shipment_id)
       AS lines
  FROM shipments
 WHERE merchant_id = $1::uuid
   AND ($2 = '' OR order_id = $2)
   AND ($3 = '' OR return_id = NULLIF($3, '')::uuid)
   AND (create_time, shipment_id) > (from_epoch_us($4::bigint), $5::uuid)
 ORDER BY create_time, shipment_id
 LIMIT $6;
