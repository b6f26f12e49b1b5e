-- $1 merchant_id, $2 exchange_token_id. Marks the token redeemed, starts the charge window (from
-- the database's clock) and requests the outbound replacement shipment, in one round trip.
WITH token AS (
    SELECT * FROM exchange_tokens WHERE merchant_id = $1::uuid AND exchange_token_id = $2::uuid
), shipment AS (
    INSERT INTO shipments (merchant_id, order_id, return_id, direction, state, sku, quantity)
    SELECT merchant_id, order_id, return_id, 'OUTBOUND', 'REQUESTED', replacement_sku, quantity
      FROM token
 RETURNING shipment_id
)
UPDATE exchange_tokens t
   SET state = 'REDEEMED',
       charge_deadline = now() + t.charge_window_days * interval '1 day',
       outbound_shipment_id = shipment.shipment_id,
       version = t.version + 1,
       update_time = now()
  FROM shipment
 WHERE t.merchant_id = $1::uuid AND t.exchange_token_id = $2::uuid
RETURNING shipment.shipment_id::text;
