-- Repairs the KPI rollups (docs/kpis.md) written for days that were not over. Days went to
-- PostgreSQL as absl::FormatCivilTime text, which does not pad years below 1000: a GetKpis for
-- 0001-01-01 .. 0001-12-31 rolled up "1-01-01" .. "1-12-31", which PostgreSQL reads as 2001-01-01
-- .. 2031-01-12, and marked the day of the call and later days as rolled up; nothing computes a
-- marked day again, so their partial (or empty) figures stayed for good. Days are now strict
-- YYYY-MM-DD from 2000-01-01 to 2999-12-31, and only final days are rolled up.
--
-- Dropped here, for every merchant: each day marked in kpi_rollup_days that is today or later
-- (UTC), that was marked before it was final (compute_time earlier than an hour after the day
-- ended, the rule of server/storage/sql/kpis/clock.sql: the call's "today" of an earlier such
-- request, now in the past), or that is outside the accepted range; then every kpi_daily and
-- kpi_resolution_days row without a mark (roll_up_days.sql inserts ON CONFLICT DO NOTHING, so a
-- row left behind would survive the day's next rollup). The sweeper and GetKpis roll the past
-- days up again.
--
-- Rollups are derived data: deleting them changes no schema and the previous release runs on
-- the result (it only recomputes the days), so this file is additive and no contract step.
DELETE FROM kpi_rollup_days
 WHERE day >= (now() AT TIME ZONE 'UTC')::date
    OR day < DATE '2000-01-01' OR day > DATE '2999-12-31'
    OR ((compute_time - interval '1 hour') AT TIME ZONE 'UTC')::date <= day;
DELETE FROM kpi_daily d
 WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = d.merchant_id AND k.day = d.day);
DELETE FROM kpi_resolution_days r
 WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = r.merchant_id AND k.day = r.day);
