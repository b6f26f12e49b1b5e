-- $1 merchant_id, $2 return_id. Locks the return for a state change.
SELECT state, version, order_id
  FROM returns
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid
   FOR UPDATE;
