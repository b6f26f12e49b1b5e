-- $1 merchant_id, $2 kind, $3 subject, $4 inputs (JSON object), $5 rule_version, $6 score_milli,
-- $7 outcome, $8 reasons (JSON array).
INSERT INTO decisions (merchant_id, kind, subject, inputs, rule_version, score_milli, outcome, reasons)
VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb);
