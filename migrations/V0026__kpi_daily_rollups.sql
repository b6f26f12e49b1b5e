-- GetKpis (docs/kpis.md): each figure is attributed to the UTC day of its own event, so a day's
-- figures are final once it is over. kpi_figures() and kpi_resolution_buckets() compute days
-- from the base tables; GetKpis writes the days that are over into kpi_daily and
-- kpi_resolution_days once (kpi_rollup_days records which), and computes the current day at each
-- call. Additive only.

-- When a token settled (the KPIs' tokens_settled), backfilled from the timeline.
ALTER TABLE exchange_tokens ADD COLUMN settle_time timestamptz;
UPDATE exchange_tokens t
   SET settle_time = e.create_time
  FROM (SELECT merchant_id, resource_id, min(create_time) AS create_time
          FROM timeline_events
         WHERE resource_type = 'exchange_token' AND event_type = 'exchange_token.settled'
         GROUP BY merchant_id, resource_id) e
 WHERE e.merchant_id = t.merchant_id AND e.resource_id = t.exchange_token_id::text;

-- The event times the figures read, each by merchant and time.
CREATE INDEX orders_by_time ON orders (merchant_id, create_time);
CREATE INDEX returns_by_resolve_time ON returns (merchant_id, resolve_time) WHERE resolve_time IS NOT NULL;
CREATE INDEX exchange_tokens_by_settle_time ON exchange_tokens (merchant_id, settle_time)
    WHERE settle_time IS NOT NULL;
CREATE INDEX claims_by_resolve_time ON claims (merchant_id, resolve_time) WHERE resolve_time IS NOT NULL;

-- One row per merchant, day, SKU ('' for the whole merchant) and currency.
CREATE TABLE kpi_daily (
    merchant_id            uuid NOT NULL REFERENCES merchants,
    day                    date NOT NULL,
    sku                    text NOT NULL,
    currency_code          text NOT NULL,
    orders                 bigint NOT NULL DEFAULT 0,
    items_sold             bigint NOT NULL DEFAULT 0,
    revenue_minor          bigint NOT NULL DEFAULT 0,
    returns                bigint NOT NULL DEFAULT 0,
    orders_returned        bigint NOT NULL DEFAULT 0,
    items_returned         bigint NOT NULL DEFAULT 0,
    returned_revenue_minor bigint NOT NULL DEFAULT 0,
    refund_items           bigint NOT NULL DEFAULT 0,
    store_credit_items     bigint NOT NULL DEFAULT 0,
    exchange_items         bigint NOT NULL DEFAULT 0,
    tokens_issued          bigint NOT NULL DEFAULT 0,
    tokens_settled         bigint NOT NULL DEFAULT 0,
    returns_resolved       bigint NOT NULL DEFAULT 0,
    refunded_minor         bigint NOT NULL DEFAULT 0,
    store_credit_minor     bigint NOT NULL DEFAULT 0,
    written_off_minor      bigint NOT NULL DEFAULT 0,
    fees_minor             bigint NOT NULL DEFAULT 0,
    labels                 bigint NOT NULL DEFAULT 0,
    claims_filed           bigint NOT NULL DEFAULT 0,
    claims_decided         bigint NOT NULL DEFAULT 0,
    claims_approved        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, sku, day, currency_code)
);

-- Returns resolved per day by the bucket of their request-to-resolution time:
-- bucket = floor(8 x log2(seconds)), so a bucket spans 9% and its midpoint is within 4.5%.
CREATE TABLE kpi_resolution_days (
    merchant_id   uuid NOT NULL REFERENCES merchants,
    day           date NOT NULL,
    sku           text NOT NULL,
    currency_code text NOT NULL,
    bucket        integer NOT NULL,
    returns       bigint NOT NULL,
    PRIMARY KEY (merchant_id, sku, day, currency_code, bucket)
);

-- The days already rolled up.
CREATE TABLE kpi_rollup_days (
    merchant_id  uuid NOT NULL REFERENCES merchants,
    day          date NOT NULL,
    compute_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, day)
);

-- The figures of merchant m for the days [from_day, to_day), by day, SKU ('' for all) and
-- currency; a row per combination with any activity.
CREATE FUNCTION kpi_figures(m uuid, from_day date, to_day date)
RETURNS TABLE (day date, sku text, currency_code text, orders bigint, items_sold bigint,
               revenue_minor bigint, returns bigint, orders_returned bigint, items_returned bigint,
               returned_revenue_minor bigint, refund_items bigint, store_credit_items bigint,
               exchange_items bigint, tokens_issued bigint, tokens_settled bigint,
               returns_resolved bigint, refunded_minor bigint, store_credit_minor bigint,
               written_off_minor bigint, fees_minor bigint, labels bigint, claims_filed bigint,
               claims_decided bigint, claims_approved bigint)
LANGUAGE sql STABLE AS $$
WITH facts (day, sku, currency_code, orders, items_sold, revenue_minor, returns, orders_returned,
       items_returned, returned_revenue_minor, refund_items, store_credit_items, exchange_items,
       tokens_issued, tokens_settled, returns_resolved, refunded_minor, store_credit_minor,
       written_off_minor, fees_minor, labels, claims_filed, claims_decided, claims_approved) AS (
    -- Orders, by the day they were first synced.
    SELECT d, coalesce(s, ''), c, count(DISTINCT oid), sum(q), sum(v), 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM (SELECT (o.create_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, o.currency_code AS c,
                   o.order_id AS oid, ol.quantity::bigint AS q, ol.quantity * ol.unit_price_minor AS v
              FROM orders o
              JOIN order_lines ol ON ol.merchant_id = o.merchant_id AND ol.order_id = o.order_id
             WHERE o.merchant_id = m AND o.create_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND o.create_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Returns, by the day they were requested.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, count(DISTINCT rid), 0, sum(q), sum(q * p),
           coalesce(sum(q) FILTER (WHERE res = 'REFUND'), 0),
           coalesce(sum(q) FILTER (WHERE res = 'STORE_CREDIT'), 0),
           coalesce(sum(q) FILTER (WHERE res = 'EXCHANGE'), 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM (SELECT (r.create_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, r.currency_code AS c,
                   r.return_id AS rid, rl.quantity::bigint AS q, rl.unit_price_minor AS p,
                   rl.resolution AS res
              FROM returns r
              JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
              JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                                 AND ol.line_id = rl.order_line_id
             WHERE r.merchant_id = m AND r.create_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND r.create_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Orders returned: the day of the order's first return.
    SELECT (r.create_time AT TIME ZONE 'UTC')::date, '', r.currency_code, 0, 0, 0, 0, count(*),
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM returns r
     WHERE r.merchant_id = m AND r.create_time >= (from_day::timestamp AT TIME ZONE 'UTC') AND r.create_time < (to_day::timestamp AT TIME ZONE 'UTC')
       AND NOT EXISTS (SELECT 1 FROM returns e
                        WHERE e.merchant_id = r.merchant_id AND e.order_id = r.order_id
                          AND (e.create_time, e.return_id) < (r.create_time, r.return_id))
     GROUP BY 1, 3
    UNION ALL
    -- ... and for a SKU, the day of the order's first return with a line of it.
    SELECT (r.create_time AT TIME ZONE 'UTC')::date, ol.sku, r.currency_code, 0, 0, 0, 0,
           count(DISTINCT r.order_id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM returns r
      JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
      JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                         AND ol.line_id = rl.order_line_id
     WHERE r.merchant_id = m AND r.create_time >= (from_day::timestamp AT TIME ZONE 'UTC') AND r.create_time < (to_day::timestamp AT TIME ZONE 'UTC')
       AND NOT EXISTS (SELECT 1 FROM returns e
                         JOIN return_lines el ON el.merchant_id = e.merchant_id AND el.return_id = e.return_id
                         JOIN order_lines eo ON eo.merchant_id = el.merchant_id AND eo.order_id = el.order_id
                                            AND eo.line_id = el.order_line_id
                        WHERE e.merchant_id = r.merchant_id AND e.order_id = r.order_id
                          AND eo.sku = ol.sku
                          AND (e.create_time, e.return_id) < (r.create_time, r.return_id))
     GROUP BY 1, 2, 3
    UNION ALL
    -- Tokens issued, by the original line's SKU.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM (SELECT (t.create_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, t.currency_code AS c
              FROM exchange_tokens t
              JOIN order_lines ol ON ol.merchant_id = t.merchant_id AND ol.order_id = t.order_id
                                 AND ol.line_id = t.order_line_id
             WHERE t.merchant_id = m AND t.create_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND t.create_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Tokens settled.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM (SELECT (t.settle_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, t.currency_code AS c
              FROM exchange_tokens t
              JOIN order_lines ol ON ol.merchant_id = t.merchant_id AND ol.order_id = t.order_id
                                 AND ol.line_id = t.order_line_id
             WHERE t.merchant_id = m AND t.settle_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND t.settle_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Resolutions, by the day the return resolved: the return's own totals for the merchant...
    SELECT (r.resolve_time AT TIME ZONE 'UTC')::date, '', r.currency_code, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, count(*), sum(r.refund_minor), sum(r.store_credit_minor),
           coalesce(sum(w.written_off), 0), sum(r.fees_minor), 0, 0, 0, 0
      FROM returns r
      LEFT JOIN LATERAL (
          SELECT sum(rl.quantity * rl.unit_price_minor) AS written_off
            FROM return_lines rl
           WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
             AND rl.condition NOT IN ('OK', 'UNSPECIFIED') AND NOT rl.withheld) w ON true
     WHERE r.merchant_id = m AND r.resolve_time >= (from_day::timestamp AT TIME ZONE 'UTC') AND r.resolve_time < (to_day::timestamp AT TIME ZONE 'UTC')
     GROUP BY 1, 3
    UNION ALL
    -- ... and for a SKU, its lines' amounts and the fees of each return with a line of it.
    SELECT d, s, c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(refund), sum(credit),
           sum(written_off), sum(fees), 0, 0, 0, 0
      FROM (SELECT (r.resolve_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, r.currency_code AS c,
                   sum(rl.refund_minor) AS refund, sum(rl.store_credit_minor) AS credit,
                   coalesce(sum(rl.quantity * rl.unit_price_minor)
                            FILTER (WHERE rl.condition NOT IN ('OK', 'UNSPECIFIED') AND NOT rl.withheld), 0)
                       AS written_off,
                   max(r.fees_minor) AS fees
              FROM returns r
              JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
              JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                                 AND ol.line_id = rl.order_line_id
             WHERE r.merchant_id = m AND r.resolve_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND r.resolve_time < (to_day::timestamp AT TIME ZONE 'UTC')
             GROUP BY r.return_id, 1, 2, 3) x
     GROUP BY d, s, c
    UNION ALL
    -- Return labels issued, by the day they were requested.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           count(DISTINCT sid), 0, 0, 0
      FROM (SELECT (sh.create_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, r.currency_code AS c,
                   sh.shipment_id AS sid
              FROM shipments sh
              JOIN returns r ON r.merchant_id = sh.merchant_id AND r.return_id = sh.return_id
              JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
              JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                                 AND ol.line_id = rl.order_line_id
             WHERE sh.merchant_id = m AND sh.direction = 'INBOUND' AND sh.label_format <> ''
               AND sh.create_time >= (from_day::timestamp AT TIME ZONE 'UTC') AND sh.create_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Claims filed.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           count(DISTINCT cid), 0, 0
      FROM (SELECT (cl.create_time AT TIME ZONE 'UTC')::date AS d, ln.sku AS s, cl.currency_code AS c,
                   cl.claim_id AS cid
              FROM claims cl
              JOIN claim_lines ln ON ln.merchant_id = cl.merchant_id AND ln.claim_id = cl.claim_id
             WHERE cl.merchant_id = m AND cl.create_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND cl.create_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
    UNION ALL
    -- Claims decided (denied, or approved and carried out), by the day of the decision's end.
    SELECT d, coalesce(s, ''), c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           count(DISTINCT cid), count(DISTINCT cid) FILTER (WHERE state <> 'DENIED')
      FROM (SELECT (cl.resolve_time AT TIME ZONE 'UTC')::date AS d, ln.sku AS s, cl.currency_code AS c,
                   cl.claim_id AS cid, cl.state
              FROM claims cl
              JOIN claim_lines ln ON ln.merchant_id = cl.merchant_id AND ln.claim_id = cl.claim_id
             WHERE cl.merchant_id = m AND cl.resolve_time >= (from_day::timestamp AT TIME ZONE 'UTC')
               AND cl.resolve_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
     GROUP BY GROUPING SETS ((d, c), (d, c, s))
)
SELECT day, sku, currency_code, sum(orders)::bigint, sum(items_sold)::bigint,
       sum(revenue_minor)::bigint, sum(returns)::bigint, sum(orders_returned)::bigint,
       sum(items_returned)::bigint, sum(returned_revenue_minor)::bigint, sum(refund_items)::bigint,
       sum(store_credit_items)::bigint, sum(exchange_items)::bigint, sum(tokens_issued)::bigint,
       sum(tokens_settled)::bigint, sum(returns_resolved)::bigint, sum(refunded_minor)::bigint,
       sum(store_credit_minor)::bigint, sum(written_off_minor)::bigint, sum(fees_minor)::bigint,
       sum(labels)::bigint, sum(claims_filed)::bigint, sum(claims_decided)::bigint,
       sum(claims_approved)::bigint
  FROM facts
 GROUP BY day, sku, currency_code
$$;

-- Returns resolved in [from_day, to_day) by day, SKU ('' for all), currency and the bucket of
-- their request-to-resolution time.
CREATE FUNCTION kpi_resolution_buckets(m uuid, from_day date, to_day date)
RETURNS TABLE (day date, sku text, currency_code text, bucket integer, returns bigint)
LANGUAGE sql STABLE AS $$
SELECT d, coalesce(s, ''), c, b, count(DISTINCT rid)
  FROM (SELECT (r.resolve_time AT TIME ZONE 'UTC')::date AS d, ol.sku AS s, r.currency_code AS c,
               floor(8 * log(2, greatest(extract(epoch FROM r.resolve_time - r.create_time), 1)::numeric))::integer AS b,
               r.return_id AS rid
          FROM returns r
          JOIN return_lines rl ON rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
          JOIN order_lines ol ON ol.merchant_id = rl.merchant_id AND ol.order_id = rl.order_id
                             AND ol.line_id = rl.order_line_id
         WHERE r.merchant_id = m AND r.resolve_time >= (from_day::timestamp AT TIME ZONE 'UTC')
           AND r.resolve_time < (to_day::timestamp AT TIME ZONE 'UTC')) x
 GROUP BY GROUPING SETS ((d, c, b), (d, c, b, s))
$$;
