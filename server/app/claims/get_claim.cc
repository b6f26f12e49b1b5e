#include "app/claims/claims_use_cases.h"
#include "domain/errors.h"
#include "storage/claim_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetClaim(const AppContext& app, const CallContext& call,
                      const v1::GetClaimRequest& request, v1::Claim* response) {
  return storage::RunTransaction(*app.pool, "GetClaim", call.deadline, [&](storage::Tx& tx) {
    std::vector<v1::Claim> claims =
        storage::ClaimStore(tx).GetClaims(call.merchant_id, {request.claim_id()});
    if (claims.empty()) return NotFoundError("claim", request.claim_id());
    *response = std::move(claims.front());
    return absl::OkStatus();
  });
}

}  // namespace returns::app
