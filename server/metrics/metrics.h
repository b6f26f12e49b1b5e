#pragma once

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include <prometheus/registry.h>

// The service's Prometheus metrics (docs/operations.md lists each with what to do when it moves):
// one registry per process, written by the call interceptor (requests, latency, calls shed, open
// streams) and by the collector (pool, queues, tokens, feed lag, database reachability), and
// served in the text format on --metrics_listen.
namespace returns::metrics {

// The registry, shared with the exposer that serves it.
std::shared_ptr<prometheus::Registry> Registry();

// Labels come from bounded sets only, so no caller can grow the registry: a method is labelled
// by name only once declared here (every method the server serves, at startup); any other name
// a client sends (a method that does not exist) is counted as kOtherMethod. Declaring a method
// also creates its series at zero, so they exist before its first call.
inline constexpr absl::string_view kOtherMethod = "other";
void DeclareMethod(absl::string_view method, bool stream);
// `method` ("returns.v1.ReturnService/CreateReturn") if declared, else kOtherMethod.
std::string MethodLabel(absl::string_view method);

// A call's end, as its status is sent: counted by method and code; a unary call's latency
// observed by method; a call refused for load (RESOURCE_EXHAUSTED) counted as shed by reason.
// `method` is the name the client sent; it is labelled through MethodLabel.
void RecordCall(absl::string_view method, absl::string_view code, double seconds, bool stream,
                absl::string_view reason);

// Open server streams by method (StreamEvents, WatchTimeline): +1 when one starts, -1 when it ends;
// `method` as sent, labelled through MethodLabel.
void StreamOpened(absl::string_view method);
void StreamClosed(absl::string_view method);

// The database pool: connections lent out and calls waiting for one.
void SetPool(int in_use, int waiting, int size);

// Calls queued for the executor.
void SetExecutorQueue(int queued);

// 1 while the database answers, 0 while it does not.
void SetDatabaseUp(bool up);

// One webhook delivery attempt, by outcome: "succeeded" (2xx), "http_error" (another status),
// "timeout", "unreachable" (no HTTP answer) or "refused" (the destination rule refused the URL).
void CountWebhookAttempt(absl::string_view outcome);

// A gauge of the collector's, by name and one label (kind, state).
void SetGauge(const std::string& name, const std::string& help, const std::string& label,
              const std::string& value, double amount);

}  // namespace returns::metrics
