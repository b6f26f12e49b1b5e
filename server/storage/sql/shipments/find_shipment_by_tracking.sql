-- $1 merchant_id, $2 carrier, $3 tracking_number. Which shipment (and return) an event is about.
SELECT shipment_id::text, coalesce(return_id::text, '') AS return_id
  FROM shipments
 WHERE merchant_id = $1::uuid AND carrier = $2 AND tracking_number = $3;
