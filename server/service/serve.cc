#include "service/serve.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <prometheus/exposer.h>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "api/byte_service.h"
#include "api/call_log.h"
#include "api/call_runner.h"
#include "api/executor.h"
#include "api/live_stream.h"
#include "api/rate_limiter.h"
#include "api/services.h"
#include "app/background/background_passes.h"
#include "app/common/app_context.h"
#include "common/log.h"
#include "common/secret_box.h"
#include "database_watcher.h"
#include "domain/exchange_token_codec.h"
#include "grpc/health/v1/health.pb.h"
#include "integrations/damage_assessor.h"
#include "integrations/http_damage_assessor.h"
#include "integrations/integrations.h"
#include "jobs/feed_sequencer.h"
#include "jobs/job_worker.h"
#include "jobs/sweeper.h"
#include "jobs/webhook_sender.h"
#include "http/carrier_webhook_routes.h"
#include "http/http_listener.h"
#include "integrations/easypost_carrier.h"
#include "app/logistics/easypost_accounts.h"
#include "metrics/collector.h"
#include "metrics/metrics.h"
#include "service/database_setup.h"
#include "service/server_credentials.h"
#include "storage/change_listener.h"
#include "storage/connection_pool.h"

namespace returns {
namespace {

// Larger requests are refused by gRPC with RESOURCE_EXHAUSTED before any handler runs.
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;

using Services = std::vector<std::unique_ptr<api::ByteService>>;

// True when --exchange_token_keys is empty (the key comes from the database) or parses.
// True when --secret_keys is empty (no secrets are kept) or parses.
bool SecretKeysValid(const Flags& flags) {
  if (flags.secret_keys.empty()) return true;
  auto box = crypto::SecretBox::Parse(flags.secret_keys);
  if (!box.ok()) {
    std::cerr << "returnsd: secret keys: " << box.status().message() << "\n";
    return false;
  }
  return true;
}

integrations::DestinationRule IntegrationsRule(const Flags& flags) {
  return flags.integrations_allow_insecure ? integrations::DestinationRule::kAllowHttpAndLoopback
                                           : integrations::DestinationRule::kPublicHttpsOnly;
}

// The URL without its query or fragment, for logs (an API key in a query string stays out).
std::string UrlForLogs(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

// True when --damage_assessor_url is empty or a URL the integrations' rule allows, with a token
// that fits in a header (no control character, such as the newline of a file read into it).
bool DamageAssessorFlagsValid(const Flags& flags) {
  if (flags.damage_assessor_url.empty()) return true;
  absl::Status checked =
      integrations::CheckDestinationUrl(flags.damage_assessor_url, IntegrationsRule(flags));
  if (!checked.ok()) {
    std::cerr << "returnsd: --damage_assessor_url: " << checked.message()
              << (flags.integrations_allow_insecure
                      ? "\n"
                      : " (http and private addresses need --integrations_allow_insecure)\n");
    return false;
  }
  for (const char c : flags.damage_assessor_token) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      std::cerr << "returnsd: --damage_assessor_token (RETURNS_DAMAGE_ASSESSOR_TOKEN) holds a "
                   "space or control character (a trailing newline?)\n";
      return false;
    }
  }
  if (flags.damage_assessor_timeout_ms >= flags.job_lease_seconds * 1000) {
    log::Warn("a damage assessor call may outlast the job's lease: another worker may ask again",
              {{"damage_assessor_timeout_ms", flags.damage_assessor_timeout_ms},
               {"job_lease_seconds", flags.job_lease_seconds}});
  }
  return true;
}

bool ExchangeTokenKeysValid(const Flags& flags) {
  if (flags.exchange_token_keys.empty()) return true;
  auto keys = ExchangeTokenCodec::ParseKeys(flags.exchange_token_keys);
  if (!keys.ok()) {
    std::cerr << "returnsd: exchange-token keys: " << keys.status().message() << "\n";
    return false;
  }
  return true;
}

integrations::Integrations MakeIntegrations(const Flags& flags, const app::AppContext* app) {
  // The built-in sandbox carrier, warehouse and log notifier; a real carrier is one more
  // adapter registered here (server/integrations/carrier.h).
  integrations::Integrations integrations = integrations::SandboxIntegrations();
  // EasyPost, for merchants with an EasyPost account (SetCarrierAccount); `app` is read only
  // when a job calls, once it is set up.
  auto easypost = std::make_shared<integrations::EasyPostCarrier>(
      flags.easypost_base_url, app::EasyPostAccounts(app), app::DatabaseCallMemo(app),
      integrations::HttpLimits{}, IntegrationsRule(flags));
  integrations.carriers[easypost->code()] = easypost;
  if (flags.sandbox_damage_assessor) {
    integrations.damage_assessor = std::make_shared<integrations::SandboxDamageAssessor>();
    log::Info("the sandbox damage assessor scores evidence photos (not for production)", {});
  }
  if (!flags.damage_assessor_url.empty()) {
    integrations::HttpLimits limits;
    limits.total_timeout = absl::Milliseconds(flags.damage_assessor_timeout_ms);
    integrations.damage_assessor = std::make_shared<integrations::HttpDamageAssessor>(
        flags.damage_assessor_url, flags.damage_assessor_token, limits, IntegrationsRule(flags));
    log::Info("evidence photos are assessed over HTTP by a durable job",
              {{"damage_assessor_url", UrlForLogs(flags.damage_assessor_url)},
               {"token", !flags.damage_assessor_token.empty()}});
  }
  return integrations;
}

// The app context every use case runs with, and what it points to. Members are made in this
// order and ended in the reverse one.
struct AppParts {
  explicit AppParts(const Flags& flags);

  storage::ConnectionPool pool;
  absl::Notification draining;
  // Calls are refused with UNAVAILABLE until the database is prepared (app.started).
  std::atomic<bool> started{false};
  std::optional<ExchangeTokenCodec> codec;      // set by PrepareDatabase
  std::optional<crypto::SecretBox> secret_box;  // from --secret_keys
  app::AppContext app;
  integrations::Integrations integrations;
  storage::ChangeListener change_listener;
};

AppParts::AppParts(const Flags& flags)
    : pool(flags.database_url, flags.db_pool_size, flags.DatabasePoolOptions()),
      integrations(MakeIntegrations(flags, &app)),
      change_listener(flags.DirectUrl()) {
  app.pool = &pool;
  app.started = &started;
  app.draining = &draining;
  app.evidence_quotas.max_stored_bytes = flags.max_evidence_bytes_per_merchant;
  app.evidence_quotas.max_open_uploads = flags.max_open_uploads_per_merchant;
  app.evidence_quotas.upload_expiry = absl::Seconds(flags.evidence_upload_expiry_seconds);
  app.integrations = &integrations;
  app.change_listener = &change_listener;
  if (!flags.secret_keys.empty()) {
    secret_box.emplace(crypto::SecretBox::Parse(flags.secret_keys).value());  // checked at start
    app.secret_box = &*secret_box;
  }
  app.webhook_allow_insecure = flags.webhook_allow_insecure;
  if (flags.webhook_allow_insecure) {
    log::Warn("webhook URLs may be http and reach private addresses (not for production)", {});
  }
}

// From gRPC's callback threads to the use cases: the rate limits, the executor and its queue,
// the live streams, the call runner and the services of the contract bound to it.
struct CallPath {
  CallPath(const Flags& flags, const app::AppContext& app);

  api::RateLimiter rate_limiter;
  api::Executor executor;
  api::LiveStreams live_streams;
  api::CallRunner runner;
  Services services;
};

CallPath::CallPath(const Flags& flags, const app::AppContext& app)
    : rate_limiter(flags.rate_limit_per_second, flags.rate_limit_burst),
      executor(flags.executor_threads > 0 ? flags.executor_threads : flags.db_pool_size + 2,
               flags.max_queued_calls, flags.max_queued_per_key),
      live_streams(app, executor,
                   api::StreamLimits{flags.max_streams_per_key, flags.max_streams_per_merchant,
                                     absl::Seconds(flags.stream_max_lifetime_seconds)}),
      runner(app, rate_limiter, executor, live_streams),
      services(api::MakeServices(runner)) {}

// The health of the server ("") and of every service of the contract.
void SetServing(grpc::HealthCheckServiceInterface& health, const Services& services, bool serving) {
  health.SetServingStatus("", serving);
  for (const auto& service : services) health.SetServingStatus(service->name(), serving);
}

// The gRPC server on --listen: the services of the contract, health and reflection, a log line
// per call; NOT_SERVING until the database is ready. Null, after telling stderr, when it cannot
// listen.
std::unique_ptr<grpc::Server> StartServer(
    const Flags& flags, const std::shared_ptr<grpc::ServerCredentials>& credentials,
    const Services& services) {
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
    return nullptr;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  SetServing(*health, services, false);
  // The process is up: what a liveness probe asks ("liveness"), never the database's state.
  health->SetServingStatus("liveness", true);
  log::Info("listening", {{"listen", flags.listen},
                          {"port", port},
                          {"db_pool_size", flags.db_pool_size},
                          {"max_threads", flags.max_threads},
                          {"max_queued_calls", flags.max_queued_calls}});
  return server;
}

// With --metrics_listen, /metrics on a port of its own, so scrapers never share the API's
// listener or its keys; `exposer` stays null without it. False, after telling stderr, when it
// cannot listen there.
bool StartMetrics(const Flags& flags, std::unique_ptr<prometheus::Exposer>& exposer) {
  if (flags.metrics_listen.empty()) return true;
  try {
    exposer = std::make_unique<prometheus::Exposer>(flags.metrics_listen);
  } catch (const std::exception& e) {
    log::Error("cannot serve metrics (is the address taken?)",
               {{"metrics_listen", flags.metrics_listen}});
    std::cerr << "returnsd: cannot serve metrics on " << flags.metrics_listen << ": " << e.what()
              << "\n";
    return false;
  }
  metrics::Collector::DeclareSeries();
  exposer->RegisterCollectable(metrics::Registry());
  const std::vector<int> ports = exposer->GetListeningPorts();
  log::Info("metrics listening", {{"metrics_listen", flags.metrics_listen},
                                  {"port", ports.empty() ? 0 : ports.front()}});
  return true;
}

// A replica may start before its database: it listens, says NOT_SERVING and answers calls
// UNAVAILABLE until the database is there and prepared, like a replica that lost it. Nothing
// once it is prepared; the exit code when the start ends first: on a stop signal (0) or on an
// error for the operator (1).
std::optional<int> WaitForDatabase(const Flags& flags, AppParts& parts, const sigset_t& signals) {
  for (bool warned = false;;) {
    absl::Status prepared = PrepareDatabase(flags, parts.pool, parts.app, parts.codec);
    if (prepared.ok()) return std::nullopt;
    if (prepared.code() != absl::StatusCode::kUnavailable) {
      log::Error("cannot start", {{"error", prepared.message()}});
      std::cerr << "returnsd: " << prepared.message() << "\n";
      return 1;
    }
    if (!warned) {
      log::Warn("waiting for the database; NOT_SERVING until it is ready",
                {{"error", prepared.message()}});
    }
    warned = true;
    const timespec one_second{1, 0};
    if (sigtimedwait(&signals, nullptr, &one_second) > 0) {
      log::Info("stopped before the database was ready", {});
      return 0;
    }
  }
}

// After the stop signal: ends the calls, then returns once the server has shut down.
void Drain(const Flags& flags, int signal_number, grpc::Server& server,
           absl::Notification& draining) {
  log::Info("draining", {{"signal", signal_number}, {"drain_seconds", flags.drain_seconds}});
  // In this order, before anything waits on a background thread: health says NOT_SERVING at
  // once (load balancers stop sending; later updates by the database watcher are ignored),
  // open streams end now so their clients resume elsewhere, new calls are refused, and
  // in-flight calls get the drain time.
  server.GetHealthCheckService()->Shutdown();
  draining.Notify();
  // Background threads (jobs, sweeps) are stopped after the calls, and not awaited past the
  // drain time: whatever one is waiting on, the process ends then. Their work is safe to cut
  // (jobs are leased and retried, sweeps repeat), so the exit status stays 0.
  std::thread([drain = flags.drain_seconds] {
    absl::SleepFor(absl::Seconds(drain + 2));
    log::Warn("drain time over with background work still running; exiting", {});
    std::_Exit(0);
  }).detach();
  server.Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(flags.drain_seconds));
  server.Wait();
}

app::WebhookDeliveryOptions WebhookOptions(const Flags& flags) {
  app::WebhookDeliveryOptions options;
  options.retry_base = absl::Milliseconds(flags.webhook_retry_base_ms);
  options.retry_max = absl::Milliseconds(flags.webhook_retry_max_ms);
  options.retry_window = absl::Seconds(flags.webhook_retry_window_seconds);
  options.total_timeout = absl::Milliseconds(flags.webhook_timeout_ms);
  options.connect_timeout = std::min(options.total_timeout, absl::Seconds(5));
  return options;
}

app::JobRunOptions JobOptions(const Flags& flags) {
  app::JobRunOptions options;
  options.retry_base = absl::Milliseconds(flags.job_retry_base_ms);
  options.lease = absl::Seconds(flags.job_lease_seconds);
  return options;
}

// With --http_listen, the HTTP listener for carriers' webhooks (docs/integrations.md); false
// (after saying why) when it cannot start.
bool StartHttpListener(const Flags& flags, AppParts& parts,
                       std::unique_ptr<http::HttpListener>& listener) {
  if (flags.http_listen.empty()) return true;
  http::HttpListenerOptions options;
  options.listen = flags.http_listen;
  options.tls_cert_file = flags.tls_cert_file;
  options.tls_key_file = flags.tls_key_file;
  try {
    listener =
        std::make_unique<http::HttpListener>(options, [&parts] { return parts.app.Started(); });
  } catch (const std::exception& e) {
    log::Error("cannot serve HTTP (is the address taken?)", {{"http_listen", flags.http_listen}});
    std::cerr << "returnsd: cannot serve HTTP on " << flags.http_listen << ": " << e.what() << "\n";
    return false;
  }
  http::AddCarrierWebhookRoutes(parts.app, *listener);
  log::Info("http listening", {{"http_listen", flags.http_listen},
                               {"port", listener->port()},
                               {"tls", !flags.tls_cert_file.empty()}});
  return true;
}

// The background threads, from the database being ready until the stop signal and the drain;
// they stop in the reverse order once the calls have drained, as this function returns.
void RunUntilStopped(const Flags& flags, AppParts& parts, const CallPath& calls,
                     grpc::Server& server, bool collect_metrics, const sigset_t& signals) {
  jobs::FeedSequencer feed_sequencer(flags.DirectUrl(), &parts.change_listener);
  DatabaseWatcher watcher(flags.database_url, server.GetHealthCheckService(), absl::Seconds(1));
  jobs::Sweeper sweeper(parts.app, absl::Seconds(flags.sweep_interval_seconds));
  std::optional<metrics::Collector> collector;
  if (collect_metrics) collector.emplace(parts.app, calls.executor, absl::Seconds(10));
  jobs::JobWorker job_worker(parts.app, JobOptions(flags), flags.job_workers,
                             absl::Milliseconds(flags.job_poll_ms));
  jobs::WebhookSender webhook_sender(parts.app, WebhookOptions(flags), flags.webhook_senders,
                                     absl::Milliseconds(flags.webhook_poll_ms));
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Drain(flags, signal_number, server, parts.draining);
}

}  // namespace

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

int Serve(const Flags& flags) {
  // Mistakes in the configuration stop the start at once; a database that is not there yet
  // does not (WaitForDatabase).
  auto credentials = ServerCredentials(flags);
  if (credentials == nullptr || !ExchangeTokenKeysValid(flags) || !SecretKeysValid(flags) ||
      !DamageAssessorFlagsValid(flags)) {
    return 1;
  }

  AppParts parts(flags);
  CallPath calls(flags, parts.app);
  std::unique_ptr<grpc::Server> server = StartServer(flags, credentials, calls.services);
  if (server == nullptr) return 1;
  std::unique_ptr<prometheus::Exposer> exposer;
  if (!StartMetrics(flags, exposer)) {
    server->Shutdown(std::chrono::system_clock::now());
    return 1;
  }

  const sigset_t signals = StopSignals();
  if (std::optional<int> exit_code = WaitForDatabase(flags, parts, signals)) {
    server->Shutdown(std::chrono::system_clock::now());
    return *exit_code;
  }
  parts.started.store(true, std::memory_order_release);
  SetServing(*server->GetHealthCheckService(), calls.services, true);
  std::unique_ptr<http::HttpListener> http_listener;
  if (!StartHttpListener(flags, parts, http_listener)) {
    server->Shutdown(std::chrono::system_clock::now());
    return 1;
  }
  log::Info("ready", {});

  RunUntilStopped(flags, parts, calls, *server, exposer != nullptr, signals);
  log::Info("stopped");
  return 0;
}

}  // namespace returns
