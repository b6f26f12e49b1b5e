#include "absl/strings/str_cat.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/json_util.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetPolicy(const AppContext& app, const CallContext& call, const v1::GetPolicyRequest& request,
                       v1::Policy* response) {
  return storage::RunTransaction(*app.pool, "GetPolicy", call.deadline, [&](storage::Tx& tx) {
    *response = storage::PolicyFromRow(tx.Exec("policies/get_policy", call.merchant_id)[0]);
    if (request.version() == 0 || request.version() == response->version()) return absl::OkStatus();
    auto kept = tx.Exec("policies/get_policy_version", call.merchant_id, request.version());
    if (kept.empty()) return NotFoundError("policy version", absl::StrCat(request.version()));
    response->Clear();
    if (!google::protobuf::util::JsonStringToMessage(kept[0][1].as<std::string>(), response).ok()) {
      return absl::InternalError("a kept policy version does not parse");
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
