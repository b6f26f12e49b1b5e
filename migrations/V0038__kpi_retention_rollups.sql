-- The bonus-credit and retained-revenue KPIs (docs/kpis.md) join the daily rollups, so a range is
-- read from kpi_daily like the other figures instead of from the base tables at each call. The
-- function that computes them is kpi_retention_figures() (migrations/R__kpi_retention_figures.sql,
-- applied after this file); roll_up_days.sql writes its sums into these columns.
ALTER TABLE kpi_daily
    ADD COLUMN bonus_credit_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN retained_value_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN settled_value_minor bigint NOT NULL DEFAULT 0;

-- Days rolled up before this release have 0 in the new columns: their rollups are dropped (as
-- V0029 did; derived data, so this is no contract step) and the sweeper and GetKpis write them
-- again. A replica of the release before this one that rolls a day up during the upgrade writes
-- 0 there (it does not know the columns); docs/kpis.md says how to redo such days.
DELETE FROM kpi_rollup_days;
DELETE FROM kpi_daily;
DELETE FROM kpi_resolution_days;
