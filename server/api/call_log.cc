#include "api/call_log.h"

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log.h"

namespace returns::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Annotations of calls in flight, by their context; taken out when the call's line is written
// or, if it never sends a status, when its interceptor goes.
class Annotations {
 public:
  void Add(const void* call, nlohmann::json fields) {
    absl::MutexLock lock(&mutex_);
    nlohmann::json& entry = by_call_[call];
    for (auto& [key, value] : fields.items()) entry[key] = std::move(value);
  }
  nlohmann::json Take(const void* call) {
    absl::MutexLock lock(&mutex_);
    auto it = by_call_.find(call);
    if (it == by_call_.end()) return nlohmann::json::object();
    nlohmann::json fields = std::move(it->second);
    by_call_.erase(it);
    return fields;
  }

 private:
  absl::Mutex mutex_;
  absl::flat_hash_map<const void*, nlohmann::json> by_call_ ABSL_GUARDED_BY(mutex_);
};

Annotations& TheAnnotations() {
  static auto* annotations = new Annotations();
  return *annotations;
}

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",        "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",  "ALREADY_EXISTS",    "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",       "UNAVAILABLE",       "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

class CallLogInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CallLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method() != nullptr ? info->method() : ""),
        context_(info->server_context()),
        start_(absl::Now()) {}

  ~CallLogInterceptor() override {
    if (!logged_) TheAnnotations().Take(context_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      nlohmann::json fields = {
          {"method", method_.empty() ? method_ : method_.substr(1)},  // without the leading '/'
          {"status", CodeName(status.error_code())},
          {"latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_)},
      };
      nlohmann::json annotations = TheAnnotations().Take(context_);
      if (!annotations.contains("reason") && !status.ok()) {
        // Refused by gRPC before any handler: its own message is the reason.
        fields["reason"] = status.error_message();
      }
      for (auto& [key, value] : annotations.items()) fields[key] = std::move(value);
      logged_ = true;
      log::Info("rpc", fields);
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  const grpc::ServerContextBase* context_;
  absl::Time start_;
  bool logged_ = false;
};

}  // namespace

void AnnotateCall(const grpc::ServerContextBase* context, nlohmann::json fields) {
  TheAnnotations().Add(context, std::move(fields));
}

grpc::experimental::Interceptor* CallLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallLogInterceptor(info);
}

}  // namespace returns::api
