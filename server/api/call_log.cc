#include "api/call_log.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "metrics/metrics.h"

namespace returns::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The longest method name a log line carries (the contract's longest is under 70).
constexpr size_t kMaxLoggedMethod = 128;

// Notes of calls in flight, by their context; taken out when the call's line is written or, if
// it never sends a status, when its interceptor goes.
class Notes {
 public:
  void Add(const void* call, CallNote note) {
    absl::MutexLock lock(&mutex_);
    by_call_[call] = std::move(note);
  }
  std::optional<CallNote> Take(const void* call) {
    absl::MutexLock lock(&mutex_);
    auto it = by_call_.find(call);
    if (it == by_call_.end()) return std::nullopt;
    CallNote note = std::move(it->second);
    by_call_.erase(it);
    return note;
  }

 private:
  absl::Mutex mutex_;
  absl::flat_hash_map<const void*, CallNote> by_call_ ABSL_GUARDED_BY(mutex_);
};

Notes& TheNotes() {
  static auto* notes = new Notes();
  return *notes;
}

// gRPC's and Abseil's codes share their numbers and names.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

class CallLogInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CallLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method() != nullptr ? info->method() : ""),
        context_(info->server_context()),
        start_(absl::Now()),
        stream_(info->type() == grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING) {
    if (stream_) metrics::StreamOpened(Method());
  }

  ~CallLogInterceptor() override {
    if (!logged_) {
      TheNotes().Take(context_);
      if (stream_) metrics::StreamClosed(Method());
    }
  }

  absl::string_view Method() const {
    return absl::string_view(method_).substr(method_.empty() ? 0 : 1);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      std::optional<CallNote> note = TheNotes().Take(context_);
      // grpc::Status::error_message() returns a copy: kept here for as long as the line views it.
      const std::string refusal = status.error_message();
      log::RpcLine line;
      // No leading '/'; a made-up name (any length a client sends) is cut to keep log lines small.
      line.method = Method().substr(0, kMaxLoggedMethod);
      const std::string status_name = CodeName(status.error_code());
      line.status = status_name;
      line.latency_ms = absl::ToDoubleMilliseconds(absl::Now() - start_);
      if (note.has_value()) {
        line.reason = note->reason;
        line.merchant_id = note->merchant_id;
        line.key_id = note->key_id;
        line.request_id = note->request_id;
        line.replayed = note->replayed;
        line.stream_seconds = note->stream_seconds;
        line.identified = true;
      } else if (!status.ok()) {
        line.reason = refusal;  // refused by gRPC before any handler
      }
      logged_ = true;
      log::Rpc(line);
      metrics::RecordCall(Method(), status_name, absl::ToDoubleSeconds(absl::Now() - start_),
                          stream_, note.has_value() ? note->reason : "");
      if (stream_) metrics::StreamClosed(Method());
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  const grpc::ServerContextBase* context_;
  absl::Time start_;
  const bool stream_;  // a server stream: its life is not a latency, and it is open until it ends
  bool logged_ = false;
};

}  // namespace

void AnnotateCall(const grpc::ServerContextBase* context, CallNote note) {
  TheNotes().Add(context, std::move(note));
}

grpc::experimental::Interceptor* CallLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallLogInterceptor(info);
}

}  // namespace returns::api
