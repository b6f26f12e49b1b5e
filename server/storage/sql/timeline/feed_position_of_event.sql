-- $1 merchant_id, $2 order_id, $3 event_id (WatchTimeline's after_event_id).
-- Where WatchTimeline resumes: the feed sequence of the order's event $3 (NULL while it waits
-- for the sequencer: `pending`); for a number that is no event of the order, the newest
-- numbered event of the order at or below it (`at_or_below`, NULL when there is none).
-- One statement, one snapshot: the sequencer moves a row from pending to numbered atomically.
SELECT (SELECT sequence FROM outbox_events
         WHERE merchant_id = $1::uuid AND order_id = $2 AND timeline_event_id = $3) AS sequence,
       EXISTS (SELECT 1 FROM outbox_pending
                WHERE merchant_id = $1::uuid AND order_id = $2 AND timeline_event_id = $3) AS pending,
       (SELECT max(sequence) FROM outbox_events
         WHERE merchant_id = $1::uuid AND order_id = $2 AND timeline_event_id <= $3) AS at_or_below;
