#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/policy/policy_use_cases.h"
#include "domain/errors.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/policy_store.h"
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
  return storage::RunTransaction(
      *app.pool, "ListPolicyVersions", call.deadline, [&](storage::Tx& tx) {
        storage::PolicyStore policies(tx);
        // Every merchant has a policy (merchants/insert_merchant.sql makes it).
        const v1::Policy current = policies.GetPolicy(call.merchant_id).value();
        // The default policy has no row until it is first replaced: it is listed from policies.
        if (current.version() == 1 && before > 1) {
          v1::PolicyVersion* v = response->add_versions();
          v->set_version(1);
          *v->mutable_policy() = current;
          v->set_actor("default");
          *v->mutable_create_time() = current.update_time();
          return absl::OkStatus();
        }
        const std::vector<storage::PolicyVersionRow> kept =
            policies.ListPolicyVersions(call.merchant_id, before, *page_size + 1);
        const int shown = std::min<int>(kept.size(), *page_size);
        for (int i = 0; i < shown; ++i) {
          v1::PolicyVersion* v = response->add_versions();
          v->set_version(kept[i].version);
          if (!google::protobuf::util::JsonStringToMessage(kept[i].policy, v->mutable_policy())
                   .ok()) {
            return absl::InternalError("a kept policy version does not parse");
          }
          v->set_actor(kept[i].actor);
          v->set_reason(kept[i].reason);
          *v->mutable_create_time() =
              google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(kept[i].create_time_us);
        }
        if (static_cast<int>(kept.size()) > *page_size) {
          response->set_next_page_token(EncodePageToken(app.page_token_secret, scope,
                                                        {absl::StrCat(kept[shown - 1].version)}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
