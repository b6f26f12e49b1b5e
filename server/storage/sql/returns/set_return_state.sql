-- $1 merchant_id, $2 return_id, $3 state (the caller holds the lock and asked the state machine).
UPDATE returns
   SET state = $3, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid;
