#include "metrics/metrics.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>

#include <prometheus/counter.h>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

namespace returns::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

struct Families {
  prometheus::Family<prometheus::Counter>& requests =
      BuildCounter()
          .Name("returns_rpc_requests_total")
          .Help("Calls answered, by method and gRPC status code")
          .Register(*Registry());
  prometheus::Family<prometheus::Histogram>& latency =
      BuildHistogram()
          .Name("returns_rpc_duration_seconds")
          .Help("Latency of unary calls, by method")
          .Register(*Registry());
  prometheus::Family<prometheus::Counter>& shed =
      BuildCounter()
          .Name("returns_calls_shed_total")
          .Help("Calls refused for load (RESOURCE_EXHAUSTED), by method and reason")
          .Register(*Registry());
  prometheus::Family<prometheus::Gauge>& streams = BuildGauge()
                                                       .Name("returns_open_streams")
                                                       .Help("Server streams open now, by method")
                                                       .Register(*Registry());
  prometheus::Family<prometheus::Gauge>& pool =
      BuildGauge()
          .Name("returns_db_pool_connections")
          .Help("Database pool: connections in use, calls waiting for one, and the pool's size")
          .Register(*Registry());
  prometheus::Family<prometheus::Gauge>& executor = BuildGauge()
                                                        .Name("returns_executor_queued_calls")
                                                        .Help("Calls queued for the executor")
                                                        .Register(*Registry());
  prometheus::Family<prometheus::Gauge>& database =
      BuildGauge()
          .Name("returns_database_up")
          .Help("1 while the database answers, 0 while it does not")
          .Register(*Registry());
  prometheus::Family<prometheus::Counter>& webhook_deliveries =
      BuildCounter()
          .Name("returns_webhook_attempts_total")
          .Help(
              "Webhook delivery attempts, by outcome (succeeded, http_error, timeout, "
              "unreachable, refused)")
          .Register(*Registry());
  std::mutex mu;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges;  // the collector's, by name
  absl::Mutex methods_mu;
  absl::flat_hash_set<std::string> methods
      ABSL_GUARDED_BY(methods_mu);  // declared: labelled by name
};

Families& F() {
  static auto* families = new Families();
  return *families;
}

// Latency buckets from 1 ms to 30 s (the longest a call may run).
const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return *buckets;
}

}  // namespace

std::shared_ptr<prometheus::Registry> Registry() {
  static auto* registry =
      new std::shared_ptr<prometheus::Registry>(std::make_shared<prometheus::Registry>());
  return *registry;
}

// The reasons a call is shed for (docs/operations.md): the catalogue's three, and GRPC for a
// call gRPC refused itself.
constexpr absl::string_view kShedReasons[] = {"RATE_LIMITED", "SERVER_BUSY", "STREAM_LIMIT",
                                              "GRPC"};

void DeclareMethod(absl::string_view method, bool stream) {
  Families& f = F();
  const std::string m(method);
  {
    absl::MutexLock lock(&f.methods_mu);
    f.methods.insert(m);
  }
  f.requests.Add({{"method", m}, {"code", "OK"}});
  if (stream) {
    f.streams.Add({{"method", m}});
  } else {
    f.latency.Add({{"method", m}}, Buckets());
  }
  for (absl::string_view reason : kShedReasons) {
    if (reason == "STREAM_LIMIT" && !stream) continue;
    f.shed.Add({{"method", m}, {"reason", std::string(reason)}});
  }
}

std::string MethodLabel(absl::string_view method) {
  Families& f = F();
  absl::ReaderMutexLock lock(&f.methods_mu);
  if (f.methods.contains(method)) return std::string(method);
  return std::string(kOtherMethod);
}

void RecordCall(absl::string_view method, absl::string_view code, double seconds, bool stream,
                absl::string_view reason) {
  Families& f = F();
  const std::string m = MethodLabel(method);
  f.requests.Add({{"method", m}, {"code", std::string(code)}}).Increment();
  if (!stream) f.latency.Add({{"method", m}}, Buckets()).Observe(seconds);
  // A quota (RESOURCE_EXHAUSTED for a merchant's stored evidence, say) is not load: only the
  // shedding reasons count, and the label stays within them.
  const absl::string_view shed_reason = reason.empty() ? absl::string_view("GRPC") : reason;
  if (code == "RESOURCE_EXHAUSTED" && std::find(std::begin(kShedReasons), std::end(kShedReasons),
                                                shed_reason) != std::end(kShedReasons)) {
    f.shed.Add({{"method", m}, {"reason", std::string(shed_reason)}}).Increment();
  }
}

void StreamOpened(absl::string_view method) {
  F().streams.Add({{"method", MethodLabel(method)}}).Increment();
}
void StreamClosed(absl::string_view method) {
  F().streams.Add({{"method", MethodLabel(method)}}).Decrement();
}

void SetPool(int in_use, int waiting, int size) {
  F().pool.Add({{"state", "in_use"}}).Set(in_use);
  F().pool.Add({{"state", "waiting"}}).Set(waiting);
  F().pool.Add({{"state", "size"}}).Set(size);
}

void SetExecutorQueue(int queued) { F().executor.Add({}).Set(queued); }

void SetDatabaseUp(bool up) { F().database.Add({}).Set(up ? 1 : 0); }

void CountWebhookAttempt(absl::string_view outcome) {
  F().webhook_deliveries.Add({{"outcome", std::string(outcome)}}).Increment();
}

void SetGauge(const std::string& name, const std::string& help, const std::string& label,
              const std::string& value, double amount) {
  Families& f = F();
  std::lock_guard<std::mutex> lock(f.mu);
  auto it = f.gauges.find(name);
  if (it == f.gauges.end()) {
    it = f.gauges.emplace(name, &BuildGauge().Name(name).Help(help).Register(*Registry())).first;
  }
  it->second->Add({{label, value}}).Set(amount);
}

}  // namespace returns::metrics
