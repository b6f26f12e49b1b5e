-- $1 merchant_id, $2 kind, $3 subject, $4 inputs (JSON object with "request_id"), $5 rule_version,
-- $6 outcome, $7 reasons (JSON array), $8 request_id. Records the decision unless one of this kind
-- for this subject and request id exists; returns its id either way. (A concurrent duplicate may
-- add a second row: both name the same request, and overriding one settles the return.)
WITH existing AS (
    SELECT decision_id FROM decisions
     WHERE merchant_id = $1::uuid AND kind = $2 AND subject = $3 AND inputs->>'request_id' = $8
     LIMIT 1
), inserted AS (
    INSERT INTO decisions (merchant_id, kind, subject, inputs, rule_version, outcome, reasons)
    SELECT $1::uuid, $2, $3, $4::jsonb, $5, $6, $7::jsonb
     WHERE NOT EXISTS (SELECT 1 FROM existing)
 RETURNING decision_id
)
SELECT decision_id::text FROM existing UNION ALL SELECT decision_id::text FROM inserted;
