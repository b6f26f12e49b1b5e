// returnsd: the returns-and-exchange service.
//
// Start: listens at once (NOT_SERVING), then prepares the database (migrations, secrets),
// retrying every second while it is unreachable; SERVING and the background threads once it is
// ready.
//
// Threads and what they run:
//  - main: parses flags, applies migrations, builds the gRPC server, then waits in sigwait() for
//    SIGTERM/SIGINT and drains: health goes NOT_SERVING, in-flight calls get --drain_seconds to
//    finish, new calls are refused.
//  - gRPC's callback threads: take every call of the contract and hand it to the executor; they
//    never block, so health, reflection and new calls are answered however busy the database is.
//  - the executor (--executor_threads, a queue of --max_queued_calls in front): runs the calls'
//    blocking work on PostgreSQL through the connection pool (--db_pool_size connections). A
//    call that finds the queue full is refused at once (RESOURCE_EXHAUSTED SERVER_BUSY).
//  - the live-stream ticker: ends streams at their lifetime and at the drain, and pokes them
//    while the change listener is down; open streams hold no thread (api/live_stream.h).
//  - gRPC's synchronous threads (at most --max_threads): only server reflection uses them.
//  - the database watcher: probes PostgreSQL every second and sets health SERVING/NOT_SERVING.
//  - the job workers (--job_workers): run durable jobs (labels, voids, fulfillment requests,
//    notifications) through the carrier, warehouse and notifier adapters; SKIP LOCKED and
//    leases let every replica run them.
//  - the change listener: one LISTEN connection that wakes the feed sequencer when feed rows
//    commit, and WatchTimeline and StreamEvents streams when they are numbered (on any replica).
//  - the feed sequencer: numbers committed change-feed rows after commit, on a connection of
//    its own (jobs/feed_sequencer.h); one pass at a time across replicas.
//  - the sweeper: every --sweep_interval_seconds, expires exchange tokens, raises CHARGE_DUE,
//    purges request ids past their replay window and writes the KPI rollups of days that are
//    over, through the shared pool; SKIP LOCKED and locks let every replica sweep safely.
//  - with --metrics_listen: the metrics collector (every 10 s: pool, queues, tokens, feed lag;
//    metrics/collector.h) and prometheus-cpp's HTTP threads serving /metrics.
// Signals are blocked in every thread but main's sigwait, so no handler runs on a gRPC thread.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "absl/synchronization/mutex.h"
#include "common/log.h"
#include "service/database_setup.h"
#include "service/flags.h"
#include "service/serve.h"

// The parts: service/flags.h (the command line), service/server_credentials.h (TLS),
// service/database_setup.h (migrations, secrets, create-merchant), service/serve.h (the server,
// the background threads and the drain).
int main(int argc, char** argv) {
  // Block the stop signals before any thread starts; main() takes them with sigwait().
  const sigset_t signals = returns::StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // libpq waits forever for an unreachable host by default; the health probe must not.
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);
  returns::log::InstallProtobufLogHandler();
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a graph per lock):
  // measured at a few per cent of a call's CPU. The tests keep it; the service does not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  returns::Flags flags;
  CLI::App cli{"returnsd: the returns-and-exchange service (gRPC, PostgreSQL)"};
  // Before the subcommands, which inherit it: `returnsd migrate --database_url ...` works too.
  cli.fallthrough();
  returns::AddFlags(cli, flags);
  auto* migrate = cli.add_subcommand("migrate", "apply pending migrations and exit");
  auto* create = cli.add_subcommand("create-merchant",
                                    "create a merchant and print its id and first ADMIN key");
  returns::AddCreateMerchantFlags(*create, flags);
  cli.require_subcommand(0, 1);
  CLI11_PARSE(cli, argc, argv);
  if (std::optional<std::string> error = returns::FlagsError(flags)) {
    std::cerr << "returnsd: " << *error << "\n";
    return 2;
  }

  if (migrate->parsed()) return returns::Migrate(flags);
  if (create->parsed()) return returns::CreateMerchantCommand(flags);
  return returns::Serve(flags);
}
