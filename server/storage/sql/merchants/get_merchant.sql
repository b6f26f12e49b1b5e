-- $1 merchant_id (validated as a UUID by the caller).
SELECT merchant_id, name FROM merchants WHERE merchant_id = $1::uuid;
