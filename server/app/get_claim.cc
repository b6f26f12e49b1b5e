#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetClaim(const AppContext& app, const CallContext& call, const v1::GetClaimRequest& request,
                      v1::Claim* response) {
  return storage::RunTransaction(*app.pool, "GetClaim", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("claims/get_claims", call.merchant_id, "{" + request.claim_id() + "}");
    if (rows.empty()) return NotFoundError("claim", request.claim_id());
    *response = storage::ClaimFromRow(rows[0]);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
