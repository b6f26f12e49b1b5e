#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListPolicyVersions(const AppContext& app, const CallContext& call,
                                const v1::ListPolicyVersionsRequest& request,
                                v1::ListPolicyVersionsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|ListPolicyVersions";
  int64_t before = std::numeric_limits<int64_t>::max();
  if (!request.page_token().empty()) {
    auto parts = DecodePageToken(app.page_token_secret, scope, request.page_token());
    if (!parts.ok()) return parts.status();
    if (parts->size() != 1 || !absl::SimpleAtoi((*parts)[0], &before)) {
      return InvalidField("page_token", "is not a token of this listing");
    }
  }
  return storage::RunTransaction(*app.pool, "ListPolicyVersions", call.deadline, [&](storage::Tx& tx) {
    const v1::Policy current = storage::PolicyFromRow(tx.Exec("policies/get_policy", call.merchant_id)[0]);
    // The default policy has no row until it is first replaced: it is listed from policies.
    if (current.version() == 1 && before > 1) {
      v1::PolicyVersion* v = response->add_versions();
      v->set_version(1);
      *v->mutable_policy() = current;
      v->set_actor("default");
      *v->mutable_create_time() = current.update_time();
      return absl::OkStatus();
    }
    auto rows = tx.Exec("policies/list_policy_versions", call.merchant_id, before, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) {
      v1::PolicyVersion* v = response->add_versions();
      v->set_version(rows[i][0].as<int64_t>());
      if (!google::protobuf::util::JsonStringToMessage(rows[i][1].as<std::string>(), v->mutable_policy()).ok()) {
        return absl::InternalError("a kept policy version does not parse");
      }
      v->set_actor(rows[i][2].as<std::string>());
      v->set_reason(rows[i][3].as<std::string>());
      *v->mutable_create_time() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(rows[i][4].as<int64_t>());
    }
    if (static_cast<int>(rows.size()) > *page_size) {
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope, {rows[shown - 1][0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
