#pragma once

#include <string>

#include <grpcpp/server_context.h>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "app/app_context.h"

namespace returns::api {

// The one place that decides which merchant a call acts for.
//
// Interim: until per-merchant API keys exist, the merchant is named by the `x-merchant-id`
// request header and must exist. This class is what API-key authentication replaces.
class MerchantResolver {
 public:
  explicit MerchantResolver(const app::AppContext& app) : app_(app) {}

  // The merchant id, or UNAUTHENTICATED when the header is missing, malformed or unknown.
  absl::StatusOr<std::string> Resolve(const grpc::ServerContext& context, absl::Time deadline);

 private:
  const app::AppContext& app_;
  absl::Mutex mu_;
  // Merchants are never deleted, so a merchant seen once can be trusted from then on.
  absl::flat_hash_set<std::string> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace returns::api
