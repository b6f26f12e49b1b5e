-- $1 merchant_id, $2 shipment_id. Units of each line already claimed against this parcel by
-- claims not denied: a parcel's unit is claimed at most once.
SELECT cl.order_line_id, sum(cl.quantity)::integer AS claimed_quantity
  FROM claim_lines cl
  JOIN claims c ON c.merchant_id = cl.merchant_id AND c.claim_id = cl.claim_id
 WHERE c.merchant_id = $1::uuid AND c.shipment_id = $2::uuid AND c.state <> 'DENIED'
 GROUP BY cl.order_line_id;
