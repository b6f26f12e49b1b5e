#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/admin/admin_use_cases.h"
#include "domain/errors.h"
#include "storage/decision_store.h"
#include "storage/transaction.h"
#include "google/protobuf/util/time_util.h"
#include "common/enum_text.h"

namespace returns::app {

using google::protobuf::util::TimeUtil;

absl::Status ListDecisions(const AppContext& app, const CallContext& call,
                           const v1::ListDecisionsRequest& request,
                           v1::ListDecisionsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string outcome = request.outcome() == v1::DECISION_OUTCOME_UNSPECIFIED
                                  ? std::string()
                                  : EnumText(request.outcome());
  const std::string overridden = request.overridden() == v1::OVERRIDE_FILTER_OVERRIDDEN ? "yes"
                                 : request.overridden() == v1::OVERRIDE_FILTER_NOT_OVERRIDDEN ? "no"
                                                                                              : "";
  const int64_t start_us = request.has_start_time()
                               ? TimeUtil::TimestampToMicroseconds(request.start_time())
                               : int64_t{0};
  const int64_t end_us = request.has_end_time()
                             ? TimeUtil::TimestampToMicroseconds(request.end_time())
                             : int64_t{253402300799000000};  // 9999-12-31
  // The filters are part of the token's scope: a token only continues the listing it came from.
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListDecisions|", request.subject(), "|", outcome, "|",
                   start_us, "|", end_us, "|", overridden, "|", request.kind());
  // Newest first: the first page starts before the end of time (9999-12-31T23:59:59Z).
  auto position =
      DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                           {"253402300799000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListDecisions", call.deadline, [&](storage::Tx& tx) {
    const std::vector<storage::ListedDecision> decisions = storage::DecisionStore(tx).ListDecisions(
        call.merchant_id, request.subject(), position->time_us, position->id, *page_size + 1,
        outcome, start_us, end_us, overridden, request.kind());
    const int shown = std::min<int>(decisions.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_decisions() = decisions[i].resource;
    if (static_cast<int>(decisions.size()) > *page_size) {
      const storage::ListedDecision& last = decisions[shown - 1];
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope,
                          {absl::StrCat(last.create_time_us), last.resource.decision_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
