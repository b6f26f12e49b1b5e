-- Tokens settled after V0026 and before settle_time was written at settlement: their time from
-- the timeline, and the KPI rollups (derived data) dropped so every day is rolled up again with
-- them. Additive only.
UPDATE exchange_tokens t
   SET settle_time = e.create_time
  FROM (SELECT merchant_id, resource_id, min(create_time) AS create_time
          FROM timeline_events
         WHERE resource_type = 'exchange_token' AND event_type = 'exchange_token.settled'
         GROUP BY merchant_id, resource_id) e
 WHERE e.merchant_id = t.merchant_id AND e.resource_id = t.exchange_token_id::text
   AND t.settle_time IS NULL;
DELETE FROM kpi_rollup_days;
DELETE FROM kpi_daily;
DELETE FROM kpi_resolution_days;
