-- $1 merchant_id, $2 sku. Whether the service keeps stock for the SKU.
SELECT 1 FROM inventory_levels WHERE merchant_id = $1::uuid AND sku = $2;
