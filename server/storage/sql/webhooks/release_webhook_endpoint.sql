-- $1 merchant_id, $2 endpoint_id, $3 lease_id. The sender is done with the endpoint for now.
UPDATE webhook_endpoints SET lease_until = NULL
 WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid AND lease_id = $3::uuid;
