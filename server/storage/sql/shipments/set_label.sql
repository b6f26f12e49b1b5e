-- $1 merchant_id, $2 shipment_id, $3 tracking_number, $4 label_format, $5 label document (hex),
-- $6 carrier_reference. The carrier issued the label.
UPDATE shipments
   SET state = 'LABEL_CREATED', tracking_number = $3, label_format = $4,
       label_document = decode($5, 'hex'), carrier_reference = $6, version = version + 1,
       update_time = now()
 WHERE merchant_id = $1::uuid AND shipment_id = $2::uuid;
