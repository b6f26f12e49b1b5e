-- $1 merchant_id, $2 after sequence, $3 limit. The change feed after a cursor, in sequence
-- (= commit) order. Sequences are handed out under a row lock held until commit, so no smaller
-- sequence can become visible after a larger one: a cursor never skips an event.
SELECT sequence, id::text, aggregatetype, aggregateid, type, order_id, payload::text,
       epoch_us(create_time) AS create_time_us
  FROM outbox_events
 WHERE merchant_id = $1::uuid AND sequence > $2
 ORDER BY sequence
 LIMIT $3;
