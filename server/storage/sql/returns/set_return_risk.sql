-- $1 merchant_id, $2 return_id, $3 risk (JSON: score_milli, model_version, factors).
UPDATE returns SET risk = $3::jsonb WHERE merchant_id = $1::uuid AND return_id = $2::uuid;
