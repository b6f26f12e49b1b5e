-- $1 merchant_id, $2 endpoint_id. Deletes the endpoint and (cascade) its deliveries.
DELETE FROM webhook_endpoints WHERE merchant_id = $1::uuid AND endpoint_id = $2::uuid;
