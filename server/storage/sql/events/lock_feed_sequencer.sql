-- Makes this transaction the only sequencer until it ends (any replica may run one). A
-- statement of its own, so that the numbering statement after it, under READ COMMITTED, takes
-- its snapshot only once the lock is held and sees everything the previous pass committed.
SELECT pg_advisory_xact_lock(7305010001);
