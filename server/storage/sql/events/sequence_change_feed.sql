-- $1 the most rows to move. Run only under events/lock_feed_sequencer.
-- One pass of the sequencer: moves the oldest committed rows of outbox_pending (at most $1, in
-- insert order) into outbox_events, giving each merchant's rows the next numbers of its
-- change_feed_sequences counter in insert order, and wakes the live streams of every order that
-- got events. Returns how many rows moved (fewer than $1: nothing else was pending).
-- Rows of transactions still in flight are invisible here and wait for a later pass, which
-- numbers them after everything this pass numbers: the proof is in docs/lifecycle.md.
WITH batch AS (
    SELECT merchant_id, insert_id FROM outbox_pending ORDER BY insert_id LIMIT $1
), moved AS (
    DELETE FROM outbox_pending p USING batch b
     WHERE p.merchant_id = b.merchant_id AND p.insert_id = b.insert_id
 RETURNING p.*
), numbered AS (
    SELECT moved.*, row_number() OVER (PARTITION BY merchant_id ORDER BY insert_id) AS n FROM moved
), counts AS (
    SELECT merchant_id, count(*) AS n FROM moved GROUP BY merchant_id
), bumped AS (
    -- An upsert, so that a merchant without a counter row could never lose its moved rows.
    INSERT INTO change_feed_sequences AS s (merchant_id, last_sequence)
    SELECT merchant_id, n FROM counts
        ON CONFLICT (merchant_id) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence
 RETURNING s.merchant_id, s.last_sequence
), inserted AS (
    INSERT INTO outbox_events
           (merchant_id, sequence, id, aggregatetype, aggregateid, type, payload, order_id,
            timeline_event_id, create_time)
    SELECT r.merchant_id, b.last_sequence - c.n + r.n, r.id, r.aggregatetype, r.aggregateid, r.type,
           r.payload, r.order_id, r.timeline_event_id, r.create_time
      FROM numbered r
      JOIN counts c USING (merchant_id)
      JOIN bumped b USING (merchant_id)
 RETURNING merchant_id, order_id
)
SELECT (SELECT count(*) FROM inserted) AS moved_rows,
       (SELECT count(pg_notify('returns_changes', merchant_id::text || '/' || order_id))
          FROM (SELECT DISTINCT merchant_id, order_id FROM inserted) AS touched) AS woken_orders;
