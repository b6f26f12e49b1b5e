#include "api/merchant_resolver.h"

#include "api/request_validation.h"
#include "app/use_cases.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

absl::Status Unauthenticated(absl::string_view message) {
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, reason::kUnauthenticated, message);
}

}  // namespace

absl::StatusOr<std::string> MerchantResolver::Resolve(const grpc::ServerContext& context,
                                                      absl::Time deadline) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("x-merchant-id");
  if (it == metadata.end()) return Unauthenticated("the x-merchant-id header is missing");
  std::string merchant_id(it->second.data(), it->second.size());
  if (!IsUuid(merchant_id)) return Unauthenticated("the x-merchant-id header is not a merchant id");
  {
    absl::MutexLock lock(&mu_);
    if (known_.contains(merchant_id)) return merchant_id;
  }
  auto exists = app::MerchantExists(app_, merchant_id, deadline);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Unauthenticated("unknown merchant");
  absl::MutexLock lock(&mu_);
  known_.insert(merchant_id);
  return merchant_id;
}

}  // namespace returns::api
