#pragma once

#include <string_view>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/merchant_resolver.h"
#include "app/app_context.h"
#include "google/protobuf/message.h"

namespace returns::api {

// What every unary handler does around its use case, in one place:
//   resolve the merchant -> validate -> run the use case -> map the status -> log one line.
// The log line has method, status, reason, latency, merchant and request_id; never request
// bodies, so no secrets or addresses reach the logs.
class CallRunner {
 public:
  // Calls without a deadline, or with a longer one, get this one.
  static constexpr absl::Duration kMaxCallDuration = absl::Seconds(30);

  CallRunner(const app::AppContext& app, MerchantResolver& resolver)
      : app_(app), resolver_(resolver) {}

  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   const google::protobuf::Message& request, absl::Status validation,
                   absl::FunctionRef<absl::Status(app::CallContext&)> use_case);

  const app::AppContext& app() const { return app_; }

 private:
  const app::AppContext& app_;
  MerchantResolver& resolver_;
};

}  // namespace returns::api
