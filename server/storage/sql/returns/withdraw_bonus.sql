-- $1 merchant_id, $2 return_id. A person withdraws the return's bonus credit before it resolves
-- (OverrideDecision DENIED on its bonus_credit decision); the caller holds the return's lock and
-- has checked its state. Returns the row when it changed (not withdrawn before).
UPDATE returns
   SET bonus_withdrawn = true, version = version + 1, update_time = now()
 WHERE merchant_id = $1::uuid AND return_id = $2::uuid AND NOT bonus_withdrawn
RETURNING return_id;
