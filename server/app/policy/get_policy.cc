#include "absl/strings/str_cat.h"
#include "app/policy/policy_use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/json_util.h"
#include "storage/policy_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetPolicy(const AppContext& app, const CallContext& call,
                       const v1::GetPolicyRequest& request, v1::Policy* response) {
  return storage::RunTransaction(*app.pool, "GetPolicy", call.deadline, [&](storage::Tx& tx) {
    storage::PolicyStore policies(tx);
    // Every merchant has a policy (merchants/insert_merchant.sql makes it).
    *response = policies.GetPolicy(call.merchant_id).value();
    if (request.version() == 0 || request.version() == response->version()) return absl::OkStatus();
    const std::optional<storage::PolicyVersionRow> kept =
        policies.GetPolicyVersion(call.merchant_id, request.version());
    if (!kept) return NotFoundError("policy version", absl::StrCat(request.version()));
    response->Clear();
    if (!google::protobuf::util::JsonStringToMessage(kept->policy, response).ok()) {
      return absl::InternalError("a kept policy version does not parse");
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
