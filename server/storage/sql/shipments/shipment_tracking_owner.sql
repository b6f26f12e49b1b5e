-- $1 merchant_id, $2 carrier, $3 tracking_number. The shipment with this tracking, with its order
-- and purpose: a parcel sent again is recognised, one of another order is refused.
SELECT shipment_id::text, order_id, purpose
  FROM shipments
 WHERE merchant_id = $1::uuid AND carrier = $2 AND tracking_number = $3 AND tracking_number <> '';
