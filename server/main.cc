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
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <atomic>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "absl/synchronization/mutex.h"
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "api/call_log.h"
#include "api/call_runner.h"
#include "api/executor.h"
#include "api/live_stream.h"
#include "api/services.h"
#include "api/rate_limiter.h"
#include "app/use_cases.h"
#include "common/log.h"
#include "database_watcher.h"
#include "domain/exchange_token_codec.h"
#include "common/loopback.h"
#include "integrations/integrations.h"
#include "jobs/feed_sequencer.h"
#include "jobs/job_worker.h"
#include "jobs/sweeper.h"
#include "metrics/collector.h"
#include "metrics/metrics.h"
#include <prometheus/exposer.h>
#include "storage/change_listener.h"
#include "grpc/health/v1/health.pb.h"
#include "storage/merchant_store.h"
#include "storage/migrator.h"
#include "storage/transaction.h"

namespace returns {
namespace {

// Larger requests are refused by gRPC with RESOURCE_EXHAUSTED before any handler runs.
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;

struct Flags {
  std::string listen = "127.0.0.1:50051";
  std::string metrics_listen;  // empty: no metrics endpoint
  // Through a transaction-pooling PgBouncer: statements unprepared, and what needs a session
  // (migrations' advisory lock, LISTEN, the feed sequencer) on the direct URL.
  bool db_transaction_pooling = false;
  std::string direct_database_url;  // empty: database_url
  // How the pool on database_url uses its connections (a transaction pooler or not).
  storage::PoolOptions DatabasePoolOptions() const {
    storage::PoolOptions options;
    options.transaction_pooling = db_transaction_pooling;
    return options;
  }
  const std::string& DirectUrl() const { return direct_database_url.empty() ? database_url : direct_database_url; }
  std::string database_url;
  int db_pool_size = 4;
  // Threads running calls' database work: the pool's size and two more, so every connection
  // stays busy while a thread encodes or hands a response back.
  int executor_threads = 0;  // 0: db_pool_size + 2
  int max_queued_calls = 1024;
  int max_queued_per_key = 64;
  int max_streams_per_key = 100;
  int max_streams_per_merchant = 1000;
  int stream_max_lifetime_seconds = 3600;
  // Only server reflection is synchronous now.
  int max_threads = 64;
  int drain_seconds = 20;
  bool no_migrate = false;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  bool allow_insecure_plaintext = false;
  bool sandbox_damage_assessor = false;
  double rate_limit_per_second = 200;
  double rate_limit_burst = 400;
  std::string exchange_token_keys;
  int sweep_interval_seconds = 10;
  int job_workers = 2;
  int job_poll_ms = 250;
  int job_retry_base_ms = 1000;
  int job_lease_seconds = 60;
  // The merchant-wide limits on claim evidence and the expiry of abandoned uploads
  // (app::EvidenceQuotas; docs/claims.md, "Quotas and expiry").
  int64_t max_evidence_bytes_per_merchant = int64_t{5} << 30;
  int max_open_uploads_per_merchant = 100;
  int evidence_upload_expiry_seconds = 24 * 3600;
  std::string merchant_name;
  bool operator_merchant = false;
};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// True for 127.0.0.0/8, ::1, localhost and Unix sockets: traffic that never leaves the machine.
// TLS (mutual TLS with a client CA) from the flags; plaintext only on loopback unless allowed.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const Flags& flags) {
  if (flags.tls_cert_file.empty() != flags.tls_key_file.empty()) {
    std::cerr << "returnsd: --tls_cert_file and --tls_key_file go together\n";
    return nullptr;
  }
  if (flags.tls_cert_file.empty()) {
    if (!flags.tls_client_ca_file.empty()) {
      std::cerr << "returnsd: --tls_client_ca_file needs --tls_cert_file and --tls_key_file\n";
      return nullptr;
    }
    if (!IsLoopbackAddress(flags.listen) && !flags.allow_insecure_plaintext) {
      std::cerr << "returnsd: refusing plaintext on " << flags.listen
                << ": give --tls_cert_file/--tls_key_file, or --allow_insecure_plaintext\n";
      return nullptr;
    }
    log::Warn("serving plaintext gRPC (no TLS)",
              {{"listen", flags.listen}, {"loopback", IsLoopbackAddress(flags.listen)}});
    return grpc::InsecureServerCredentials();
  }
  auto cert = ReadFile(flags.tls_cert_file);
  auto key = ReadFile(flags.tls_key_file);
  if (!cert || !key) {
    std::cerr << "returnsd: cannot read the TLS certificate or key file\n";
    return nullptr;
  }
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!flags.tls_client_ca_file.empty()) {
    auto ca = ReadFile(flags.tls_client_ca_file);
    if (!ca) {
      std::cerr << "returnsd: cannot read --tls_client_ca_file\n";
      return nullptr;
    }
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  log::Info("serving TLS", {{"mutual_tls", !flags.tls_client_ca_file.empty()}});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::string> LoadServerSecret(storage::ConnectionPool& pool, const std::string& name) {
  std::string secret;
  absl::Status status = storage::RunTransaction(
      pool, "LoadSecrets", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
        std::optional<std::string> stored = storage::MerchantStore(tx).GetServerSecret(name);
        if (!stored.has_value()) {
          return absl::FailedPreconditionError("server secret " + name + " missing");
        }
        secret = *std::move(stored);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return secret;
}

// Keys from --exchange_token_keys (newest first) or, when none are configured, the key the
// migrations made in server_secrets (id "db1"), shared by every replica.
absl::StatusOr<ExchangeTokenCodec> TokenCodec(const Flags& flags, storage::ConnectionPool& pool) {
  if (!flags.exchange_token_keys.empty()) {
    auto keys = ExchangeTokenCodec::ParseKeys(flags.exchange_token_keys);
    if (!keys.ok()) return keys.status();
    return ExchangeTokenCodec::Create(*keys);
  }
  auto secret = LoadServerSecret(pool, "exchange_token");
  if (!secret.ok()) return secret.status();
  return ExchangeTokenCodec::Create({{"db1", *secret}});
}

int Migrate(const Flags& flags) {
  auto applied = storage::ApplyMigrations(flags.DirectUrl());
  if (!applied.ok()) {
    log::Error("migrations refused", {{"error", applied.status().message()}});
    std::cerr << "returnsd: " << applied.status().message() << "\n";
    return 1;
  }
  log::Info("migrations up to date", {{"applied_now", *applied}});
  return 0;
}

int CreateMerchantCommand(const Flags& flags) {
  storage::ConnectionPool pool(flags.database_url, 1, flags.DatabasePoolOptions());
  auto created = app::CreateMerchant(pool, flags.merchant_name, flags.operator_merchant);
  if (!created.ok()) {
    std::cerr << "returnsd: cannot create merchant: " << created.status().message() << "\n";
    return 1;
  }
  // The key goes to stdout once, for the operator; it is never logged.
  std::cout << "merchant_id: " << created->merchant_id() << "\n"
            << "admin_key_id: " << created->admin_key().key_id() << "\n"
            << "admin_key: " << created->admin_key_secret() << "\n";
  std::cerr << "returnsd: store admin_key now; it cannot be shown again\n";
  return 0;
}

// What the service needs from the database before it can take calls: the migrations applied
// (unless --no_migrate), the page-token secret and the exchange-token keys. UNAVAILABLE while
// the database cannot be reached or is not migrated yet (another replica or a migration job may
// be doing it); any other error is for the operator (an edited migration, bad keys).
absl::Status PrepareDatabase(const Flags& flags, storage::ConnectionPool& pool, app::AppContext& app,
                             std::optional<ExchangeTokenCodec>& codec) {
  if (!flags.no_migrate) {
    auto applied = storage::ApplyMigrations(flags.DirectUrl());
    if (!applied.ok()) return applied.status();
    log::Info("migrations up to date", {{"applied_now", *applied}});
  }
  auto secret = LoadServerSecret(pool, "page_token");
  if (!secret.ok()) return absl::UnavailableError(absl::StrCat("cannot read server secrets: ", secret.status().message()));
  auto loaded = TokenCodec(flags, pool);
  if (!loaded.ok()) {
    if (!flags.exchange_token_keys.empty()) return loaded.status();
    return absl::UnavailableError(absl::StrCat("cannot read the exchange-token key: ", loaded.status().message()));
  }
  app.page_token_secret = *std::move(secret);
  codec.emplace(*std::move(loaded));
  app.token_codec = &*codec;
  return absl::OkStatus();
}

int Serve(const Flags& flags) {
  // Mistakes in the configuration stop the start at once; a database that is not there yet
  // does not (below).
  auto credentials = ServerCredentials(flags);
  if (credentials == nullptr) return 1;
  if (!flags.exchange_token_keys.empty()) {
    auto keys = ExchangeTokenCodec::ParseKeys(flags.exchange_token_keys);
    if (!keys.ok()) {
      std::cerr << "returnsd: exchange-token keys: " << keys.status().message() << "\n";
      return 1;
    }
  }

  storage::ConnectionPool pool(flags.database_url, flags.db_pool_size, flags.DatabasePoolOptions());
  absl::Notification draining;
  // Calls are refused with UNAVAILABLE until the database is prepared (app.started).
  std::atomic<bool> started{false};
  std::optional<ExchangeTokenCodec> codec;
  app::AppContext app;
  app.pool = &pool;
  app.started = &started;
  app.draining = &draining;
  app.evidence_quotas.max_stored_bytes = flags.max_evidence_bytes_per_merchant;
  app.evidence_quotas.max_open_uploads = flags.max_open_uploads_per_merchant;
  app.evidence_quotas.upload_expiry = absl::Seconds(flags.evidence_upload_expiry_seconds);
  // The built-in sandbox carrier, warehouse and log notifier; a real carrier is one more
  // adapter registered here (server/integrations/carrier.h).
  integrations::Integrations integrations = integrations::SandboxIntegrations();
  if (flags.sandbox_damage_assessor) {
    integrations.damage_assessor = std::make_shared<integrations::SandboxDamageAssessor>();
    log::Info("the sandbox damage assessor scores evidence photos (not for production)", {});
  }
  app.integrations = &integrations;
  storage::ChangeListener change_listener(flags.DirectUrl());
  app.change_listener = &change_listener;
  api::RateLimiter rate_limiter(flags.rate_limit_per_second, flags.rate_limit_burst);
  api::Executor executor(
      flags.executor_threads > 0 ? flags.executor_threads : flags.db_pool_size + 2,
      flags.max_queued_calls, flags.max_queued_per_key);
  api::LiveStreams live_streams(
      app, executor,
      api::StreamLimits{flags.max_streams_per_key, flags.max_streams_per_merchant,
                        absl::Seconds(flags.stream_max_lifetime_seconds)});
  api::CallRunner runner(app, rate_limiter, executor, live_streams);
  std::vector<std::unique_ptr<api::ByteService>> services = api::MakeServices(runner);

  // Both must be switched on before the builder exists (PLATFORM.md). Referencing the health
  // descriptor keeps health.proto linked, so reflection can describe grpc.health.v1.Health.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  // gRPC's own services are labelled by name in the metrics too (ours declare themselves).
  metrics::DeclareMethod("grpc.health.v1.Health/Check", false);
  metrics::DeclareMethod("grpc.health.v1.Health/Watch", true);
  metrics::DeclareMethod("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", false);

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(flags.listen, credentials, &port);
  // Without this a second server on a taken port silently shares it (SO_REUSEPORT).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  grpc::ResourceQuota quota("returnsd");
  quota.SetMaxThreads(flags.max_threads);
  builder.SetResourceQuota(quota);
  for (const auto& service : services) builder.RegisterService(service.get());
  // One log line per call, refused ones included (api/call_log.h).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<api::CallLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    log::Error("cannot listen (is the address taken?)", {{"listen", flags.listen}});
    std::cerr << "returnsd: cannot listen on " << flags.listen << " (address in use?)\n";
    return 1;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  auto set_serving = [&](bool serving) {
    health->SetServingStatus("", serving);
    for (const auto& service : services) health->SetServingStatus(service->name(), serving);
  };
  set_serving(false);
  // The process is up: what a liveness probe asks ("liveness"), never the database's state.
  health->SetServingStatus("liveness", true);
  log::Info("listening", {{"listen", flags.listen}, {"port", port},
                          {"db_pool_size", flags.db_pool_size}, {"max_threads", flags.max_threads}, {"max_queued_calls", flags.max_queued_calls}});

  // Metrics on a port of their own, so scrapers never share the API's listener or its keys.
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!flags.metrics_listen.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(flags.metrics_listen);
    } catch (const std::exception& e) {
      log::Error("cannot serve metrics (is the address taken?)", {{"metrics_listen", flags.metrics_listen}});
      std::cerr << "returnsd: cannot serve metrics on " << flags.metrics_listen << ": " << e.what() << "\n";
      server->Shutdown(std::chrono::system_clock::now());
      return 1;
    }
    metrics::Collector::DeclareSeries();
    exposer->RegisterCollectable(metrics::Registry());
    const std::vector<int> ports = exposer->GetListeningPorts();
    log::Info("metrics listening", {{"metrics_listen", flags.metrics_listen},
                                    {"port", ports.empty() ? 0 : ports.front()}});
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  // A replica may start before its database: it listens, says NOT_SERVING and answers calls
  // UNAVAILABLE until the database is there and prepared, like a replica that lost it.
  for (bool warned = false;;) {
    absl::Status prepared = PrepareDatabase(flags, pool, app, codec);
    if (prepared.ok()) break;
    if (prepared.code() != absl::StatusCode::kUnavailable) {
      log::Error("cannot start", {{"error", prepared.message()}});
      std::cerr << "returnsd: " << prepared.message() << "\n";
      server->Shutdown(std::chrono::system_clock::now());
      return 1;
    }
    if (!warned) log::Warn("waiting for the database; NOT_SERVING until it is ready", {{"error", prepared.message()}});
    warned = true;
    const timespec one_second{1, 0};
    if (sigtimedwait(&signals, nullptr, &one_second) > 0) {
      log::Info("stopped before the database was ready", {});
      server->Shutdown(std::chrono::system_clock::now());
      return 0;
    }
  }
  started.store(true, std::memory_order_release);
  set_serving(true);
  log::Info("ready", {});

  {
    jobs::FeedSequencer feed_sequencer(flags.DirectUrl(), &change_listener);
    DatabaseWatcher watcher(flags.database_url, health, absl::Seconds(1));
    jobs::Sweeper sweeper(app, absl::Seconds(flags.sweep_interval_seconds));
    std::optional<metrics::Collector> collector;
    if (exposer != nullptr) collector.emplace(app, executor, absl::Seconds(10));
    app::JobRunOptions job_options;
    job_options.retry_base = absl::Milliseconds(flags.job_retry_base_ms);
    job_options.lease = absl::Seconds(flags.job_lease_seconds);
    jobs::JobWorker job_worker(app, job_options, flags.job_workers,
                               absl::Milliseconds(flags.job_poll_ms));
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    log::Info("draining", {{"signal", signal_number}, {"drain_seconds", flags.drain_seconds}});
    // In this order, before anything waits on a background thread: health says NOT_SERVING at
    // once (load balancers stop sending; later updates by the database watcher are ignored),
    // open streams end now so their clients resume elsewhere, new calls are refused, and
    // in-flight calls get the drain time.
    health->Shutdown();
    draining.Notify();
    // Background threads (jobs, sweeps) are stopped after the calls, and not awaited past the
    // drain time: whatever one is waiting on, the process ends then. Their work is safe to cut
    // (jobs are leased and retried, sweeps repeat), so the exit status stays 0.
    std::thread([drain = flags.drain_seconds] {
      absl::SleepFor(absl::Seconds(drain + 2));
      log::Warn("drain time over with background work still running; exiting", {});
      std::_Exit(0);
    }).detach();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(flags.drain_seconds));
    server->Wait();
  }
  log::Info("stopped");
  return 0;
}

}  // namespace
}  // namespace returns

int main(int argc, char** argv) {
  // Block the stop signals before any thread starts; main() takes them with sigwait().
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // libpq waits forever for an unreachable host by default; the health probe must not.
  setenv("PGCONNECT_TIMEOUT", "5", /*overwrite=*/0);
  returns::log::InstallProtobufLogHandler();
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a graph per lock):
  // measured at a few per cent of a call's CPU. The tests keep it; the service does not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  returns::Flags flags;
  CLI::App cli{"returnsd: the returns-and-exchange service (gRPC, PostgreSQL)"};
  cli.fallthrough();
  cli.add_option("--listen", flags.listen, "address to serve gRPC on")->capture_default_str();
  cli.add_option("--metrics_listen", flags.metrics_listen,
                 "address to serve Prometheus metrics on, at /metrics (e.g. 0.0.0.0:9464; port 0 picks one); "
                 "none by default");
  cli.add_flag("--db_transaction_pooling", flags.db_transaction_pooling,
               "--database_url goes through a transaction-pooling PgBouncer: send statements unprepared "
               "and make no session settings (docs/scaling.md); needs --direct_database_url");
  cli.add_option("--direct_database_url", flags.direct_database_url,
                 "a direct PostgreSQL URL for what needs a session: migrations, LISTEN, the feed sequencer "
                 "(default: --database_url)")
      ->envname("RETURNS_DIRECT_DATABASE_URL");
  cli.add_option("--database_url", flags.database_url, "PostgreSQL connection URL")
      ->envname("RETURNS_DATABASE_URL");
  cli.add_option("--db_pool_size", flags.db_pool_size, "PostgreSQL connections")
      ->capture_default_str()->check(CLI::Range(1, 256));
  cli.add_option("--executor_threads", flags.executor_threads,
                 "threads running calls' database work (0: db_pool_size + 2)")
      ->capture_default_str()->check(CLI::Range(0, 1024));
  cli.add_option("--max_queued_calls", flags.max_queued_calls,
                 "calls waiting for the executor at most; past it RESOURCE_EXHAUSTED at once")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  cli.add_option("--max_queued_per_key", flags.max_queued_per_key,
                 "calls of one API key waiting for the executor at most (keys take turns)")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  cli.add_option("--max_streams_per_key", flags.max_streams_per_key,
                 "open WatchTimeline/StreamEvents streams per API key and replica")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  cli.add_option("--max_streams_per_merchant", flags.max_streams_per_merchant,
                 "open streams per merchant and replica")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  cli.add_option("--stream_max_lifetime_seconds", flags.stream_max_lifetime_seconds,
                 "a stream ends OK after this long; the client resumes from its cursor")
      ->capture_default_str()->check(CLI::Range(1, 86400 * 7));
  cli.add_option("--max_threads", flags.max_threads, "gRPC synchronous threads (reflection) at most")
      ->capture_default_str()->check(CLI::Range(2, 4096));
  cli.add_option("--drain_seconds", flags.drain_seconds, "how long SIGTERM waits for calls")
      ->capture_default_str()->check(CLI::Range(0, 3600));
  cli.add_flag("--no_migrate", flags.no_migrate, "do not apply migrations at start");
  cli.add_option("--tls_cert_file", flags.tls_cert_file, "PEM server certificate (chain)");
  cli.add_option("--tls_key_file", flags.tls_key_file, "PEM private key of the certificate");
  cli.add_option("--tls_client_ca_file", flags.tls_client_ca_file,
                 "PEM CA that client certificates must chain to (mutual TLS)");
  cli.add_flag("--allow_insecure_plaintext", flags.allow_insecure_plaintext,
               "allow plaintext on a non-loopback --listen address");
  cli.add_flag("--sandbox_damage_assessor", flags.sandbox_damage_assessor,
               "score evidence photos with the built-in sandbox damage model (demos and tests "
               "only: without an assessor, damage claims wait for a person)");
  cli.add_option("--rate_limit_per_second", flags.rate_limit_per_second,
                 "calls per second per API key and replica (0: no limit)")->capture_default_str();
  cli.add_option("--rate_limit_burst", flags.rate_limit_burst, "burst per API key")
      ->capture_default_str();
  cli.add_option("--exchange_token_keys", flags.exchange_token_keys,
                 "exchange-token signing keys id:hexsecret,... newest first "
                 "(RETURNS_EXCHANGE_TOKEN_KEYS; default: a key made at migration)")
      ->envname("RETURNS_EXCHANGE_TOKEN_KEYS");
  cli.add_option("--sweep_interval_seconds", flags.sweep_interval_seconds,
                 "how often exchange tokens and expired request ids are swept")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  cli.add_option("--job_workers", flags.job_workers, "threads running durable jobs (0: none)")
      ->capture_default_str()->check(CLI::Range(0, 64));
  cli.add_option("--job_poll_ms", flags.job_poll_ms, "how often idle job workers look for due jobs")
      ->capture_default_str()->check(CLI::Range(10, 60000));
  cli.add_option("--job_retry_base_ms", flags.job_retry_base_ms,
                 "the first retry delay of a failed job (doubling, with jitter, up to 10 minutes)")
      ->capture_default_str()->check(CLI::Range(1, 600000));
  cli.add_option("--job_lease_seconds", flags.job_lease_seconds,
                 "how long a claimed job is its worker's before another replica may take it over")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  cli.add_option("--max_evidence_bytes_per_merchant", flags.max_evidence_bytes_per_merchant,
                 "bytes of claim evidence (uploading and complete) a merchant may store; past it "
                 "RESOURCE_EXHAUSTED EVIDENCE_QUOTA_EXCEEDED (0: no limit)")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1} << 50));
  cli.add_option("--max_open_uploads_per_merchant", flags.max_open_uploads_per_merchant,
                 "evidence uploads a merchant may have open (UPLOADING) at once (0: no limit)")
      ->capture_default_str()->check(CLI::Range(0, 1000000));
  cli.add_option("--evidence_upload_expiry_seconds", flags.evidence_upload_expiry_seconds,
                 "an evidence upload with no chunk for this long is expired by the sweeper and its "
                 "bytes deleted")
      ->capture_default_str()->check(CLI::Range(1, 30 * 24 * 3600));
  auto* migrate = cli.add_subcommand("migrate", "apply pending migrations and exit");
  auto* create = cli.add_subcommand("create-merchant",
                                    "create a merchant and print its id and first ADMIN key");
  create->add_option("--name", flags.merchant_name, "the merchant's name")->required();
  create->add_flag("--operator", flags.operator_merchant,
                   "an operator merchant, whose ADMIN keys may create merchants");
  cli.require_subcommand(0, 1);
  CLI11_PARSE(cli, argc, argv);

  if (flags.database_url.empty()) {
    std::cerr << "returnsd: --database_url or RETURNS_DATABASE_URL is required\n";
    return 2;
  }
  if (flags.db_transaction_pooling) {
    if (flags.direct_database_url.empty()) {
      std::cerr << "returnsd: --db_transaction_pooling needs --direct_database_url (LISTEN and the migrations' "
                   "lock need a session of their own)\n";
      return 2;
    }
  }
  if (migrate->parsed()) return returns::Migrate(flags);
  if (create->parsed()) return returns::CreateMerchantCommand(flags);
  return returns::Serve(flags);
}
