#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "storage/connection_pool.h"

// The passes the threads of server/jobs/ run in the background: sweeps, purges, the feed
// sequencer and durable jobs. Each is safe on any number of replicas at once.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

// The durable sweep of exchange tokens (PRODUCT.md 4.4), by the database's clock: ISSUED past
// expire_time -> EXPIRED (reservation released); REDEEMED past the charge deadline, or IN_TRANSIT
// past the transit deadline, with the replacement shipped -> the charge falls due, at most once
// per token (ChargeForOriginal). One transaction per merchant; safe on any number of replicas at
// once (SKIP LOCKED). Up to 100 merchants and 100 tokens of each kind per merchant per call;
// returns how many tokens it expired and how many new charges it raised.
struct SweepResult {
  int expired = 0;
  int charge_due = 0;
};

absl::StatusOr<SweepResult> SweepExchangeTokens(const AppContext& app);

// The sweep of abandoned evidence uploads (docs/claims.md, "Quotas and expiry"), by the
// database's clock: an upload still UPLOADING with no chunk for app.evidence_quotas.upload_expiry
// becomes EXPIRED (event claim.evidence_expired on its claim's timeline; it no longer counts
// against any limit), up to 100 per call; then the bytes of expired files are deleted through
// the blob store, up to 1000 parts per call (a file of many small chunks takes several calls).
// Each step is one transaction over all merchants, safe on any number of replicas (SKIP LOCKED).
struct EvidenceSweepResult {
  int expired = 0;            // uploads expired now
  int64_t parts_deleted = 0;  // blob-store parts (chunks) deleted now
  int purged = 0;             // expired files whose bytes are now all gone
  bool more = false;          // a batch was full: call again
};

absl::StatusOr<EvidenceSweepResult> SweepAbandonedEvidence(const AppContext& app);

// Deletes up to 1000 request ids whose replay window ended by the database's clock (they would be
// reused in place anyway; this keeps the table small). Returns how many went.
absl::StatusOr<int> PurgeExpiredRequestIds(const AppContext& app);

// One pass of the change-feed sequencer (jobs/feed_sequencer.h): numbers up to `max_rows`
// committed feed rows that wait in outbox_pending, in insert order, each merchant's from its own
// counter, and wakes the live streams of their orders. Runs on `pool` (the sequencer's own
// connection), under a lock that makes it the only pass at a time across replicas. Returns how
// many rows it numbered; fewer than `max_rows` means none was left.
absl::StatusOr<int> SequenceChangeFeed(storage::ConnectionPool& pool, int max_rows);

// How durable jobs run (server/app/background/run_due_jobs.cc).
struct JobRunOptions {
  int batch = 10;                                // jobs claimed at once
  absl::Duration lease = absl::Seconds(60);      // a claimed job is retaken after this
  absl::Duration retry_base = absl::Seconds(1);  // the first retry's delay (before jitter)
  absl::Duration retry_max = absl::Minutes(10);  // the longest delay between attempts
};

// Claims up to options.batch due jobs of any merchant (FOR UPDATE SKIP LOCKED, so any number of
// replicas run this at once), runs each through its adapter and records the outcome. Returns how
// many it claimed.
absl::StatusOr<int> RunDueJobs(const AppContext& app, const JobRunOptions& options);

// How webhooks go out (server/app/background/deliver_webhooks.cc; docs/integrations.md).
struct WebhookDeliveryOptions {
  int endpoints_per_pass = 1;     // endpoints claimed at once (per sender thread)
  int deliveries_per_claim = 50;  // sent to one endpoint before it is given back
  int events_per_queueing = 500;  // feed events looked at per endpoint per queueing pass
  absl::Duration lease = absl::Seconds(120);      // a claimed endpoint is retaken after this
  absl::Duration retry_base = absl::Seconds(30);  // the first retry's delay (before jitter)
  absl::Duration retry_max = absl::Hours(4);      // the longest delay between attempts
  absl::Duration retry_window = absl::Hours(72);  // failing this long disables the endpoint
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  size_t max_response_bytes = 16 * 1024;  // what is read of an answer (its status is enough)
};

// Queues the feed's new events as deliveries of the endpoints whose types cover them (one
// transaction, SKIP LOCKED across replicas). Returns how many deliveries it queued.
absl::StatusOr<int64_t> QueueWebhookDeliveries(const AppContext& app,
                                               const WebhookDeliveryOptions& options);

// Claims up to options.endpoints_per_pass endpoints with a due pending delivery (a lease each,
// SKIP LOCKED) and sends each one's pending deliveries in order, one at a time, until one fails
// or deliveries_per_claim went out. Returns how many endpoints it claimed.
absl::StatusOr<int> SendDueWebhooks(const AppContext& app, const WebhookDeliveryOptions& options);

}  // namespace returns::app
