-- Repeatable (migrations/README.md, "Repeatable migrations"): the return as the API shows it, one
-- row with its lines as a JSON array. Re-applied whenever this file changes, after the versioned
-- migrations. V0009 created the view and V0015, V0016 and V0025 rewrote it whole; this is
-- V0025's definition, and the only place it is changed from now on. CREATE OR REPLACE VIEW keeps
-- the columns in this order and may only append new ones at the end (the additive rule); a change
-- that drops, renames or retypes a column is a contract step: a V file drops the view, and this
-- file, changed in the same release, creates it again.
CREATE OR REPLACE VIEW return_resources AS
SELECT r.merchant_id,
       r.return_id,
       r.order_id,
       r.state,
       r.cancel_reason,
       r.create_time,
       epoch_us(r.create_time) AS create_time_us,
       epoch_us(r.update_time) AS update_time_us,
       r.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'order_line_id', rl.order_line_id, 'quantity', rl.quantity,
                   'reason', rl.reason, 'reason_note', rl.reason_note,
                   'resolution', rl.resolution, 'replacement_sku', rl.replacement_sku,
                   'condition', rl.condition, 'refund_minor', rl.refund_minor,
                   'store_credit_minor', rl.store_credit_minor, 'withheld', rl.withheld,
                   'unit_price_minor', rl.unit_price_minor,
                   'replacement_unit_minor', rl.replacement_unit_minor,
                   'upsell_minor', rl.upsell_minor, 'downsell_minor', rl.downsell_minor,
                   'plan_restocking_fee_minor', rl.plan_restocking_fee_minor)
                   ORDER BY rl.position), '[]')
          FROM return_lines rl
         WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id) AS lines,
       r.currency_code,
       r.refund_minor,
       r.store_credit_minor,
       r.fees_minor,
       epoch_us(r.resolve_time) AS resolve_time_us,
       r.upsell_minor,
       r.downsell_minor,
       -- V0032: where the return's money is, over its money movements (docs/money.md)
       (SELECT CASE WHEN count(*) = 0 THEN 'NOTHING_DUE'
                    WHEN bool_or(m.state = 'FAILED') THEN 'FAILED'
                    WHEN bool_or(m.state = 'REQUESTED') THEN 'REQUESTED'
                    ELSE 'SETTLED' END
          FROM money_movements m
         WHERE m.merchant_id = r.merchant_id
           AND m.subject = 'returns/' || r.return_id::text) AS money_state
  FROM returns r;
