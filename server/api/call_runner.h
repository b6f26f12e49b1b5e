#pragma once

#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "api/rate_limiter.h"
#include "app/app_context.h"
#include "google/protobuf/message.h"

namespace returns::api {

// What every unary handler does around its use case, in one place and in this order:
//   authenticate the API key (UNAUTHENTICATED) -> rate-limit the key (RESOURCE_EXHAUSTED)
//   -> authorise the role for the method (PERMISSION_DENIED) -> validate (INVALID_ARGUMENT)
//   -> run the use case -> map the status -> log one line.
// The log line has method, status, reason, latency, merchant, key_id and request_id; never
// request bodies or credentials, so no secrets or addresses reach the logs.
class CallRunner {
 public:
  // Calls without a deadline, or with a longer one, get this one.
  static constexpr absl::Duration kMaxCallDuration = absl::Seconds(30);

  CallRunner(const app::AppContext& app, RateLimiter& rate_limiter)
      : app_(app), rate_limiter_(rate_limiter) {}

  // `method` is the full name, "returns.v1.ReturnService/CreateReturn".
  grpc::Status Run(grpc::ServerContext* context, const std::string& method,
                   const google::protobuf::Message& request, absl::Status validation,
                   absl::FunctionRef<absl::Status(app::CallContext&)> use_case);

  const app::AppContext& app() const { return app_; }

 private:
  absl::Status Admit(grpc::ServerContext& context, const std::string& method, app::CallContext& call);

  const app::AppContext& app_;
  RateLimiter& rate_limiter_;
};

}  // namespace returns::api
