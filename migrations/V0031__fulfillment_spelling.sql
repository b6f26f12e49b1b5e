-- One spelling of fulfillment on the wire, the American one of ConfirmFulfillment (and of
-- AIP-122): the event type `shipment.fulfilment_requested` becomes
-- `shipment.fulfillment_requested` in the timeline and in the change feed, numbered or pending,
-- so a consumer filters on one type; JobKind's value 3 is now JOB_KIND_REQUEST_FULFILLMENT (the
-- old name stays as a deprecated alias of the same number).
--
-- The jobs table is only expanded here: its CHECK accepts the new kind text too, but this
-- release still stores REQUEST_FULFILMENT and the `request_fulfilment:` dedup keys (app/common/
-- enqueue_job.h), because a replica of the previous release, which runs during a rolling
-- upgrade, knows only that text and must dedupe against the same keys. It reads either text. The
-- next release writes the new text and rewrites the rows (the contract step).
--
-- The previous release, while it still runs: its writes keep working (nothing constrains event
-- types); it never reads event types back. The events it writes after this file ran keep the old
-- type; the contract step repeats the UPDATEs below (they are idempotent).

UPDATE timeline_events SET event_type = 'shipment.fulfillment_requested'
 WHERE event_type = 'shipment.fulfilment_requested';
UPDATE outbox_pending SET type = 'shipment.fulfillment_requested'
 WHERE type = 'shipment.fulfilment_requested';
UPDATE outbox_events SET type = 'shipment.fulfillment_requested'
 WHERE type = 'shipment.fulfilment_requested';

-- V0015's CHECK with the new kind added; the old one stays allowed while older replicas run.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('ISSUE_LABEL', 'VOID_LABEL', 'REQUEST_FULFILLMENT', 'REQUEST_FULFILMENT',
                    'NOTIFY_CUSTOMER'));
