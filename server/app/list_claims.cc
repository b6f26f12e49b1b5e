#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/claim_rules.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListClaims(const AppContext& app, const CallContext& call,
                        const v1::ListClaimsRequest& request, v1::ListClaimsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  // The review queue is the claims in review.
  const std::string state = request.needs_review() ? "IN_REVIEW"
                            : request.state() == v1::CLAIM_STATE_UNSPECIFIED
                                ? std::string()
                                : ClaimStateName(request.state());
  const std::string type =
      request.type() == v1::CLAIM_TYPE_UNSPECIFIED ? std::string() : ClaimTypeName(request.type());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListClaims|", request.order_id(), "|", state, "|", type);
  // Oldest first: the first page starts after the beginning of time.
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListClaims", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("claims/list_claims", call.merchant_id, request.order_id(), state, type,
                        position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    // The page's claims in one statement, in the same (time, id) order.
    std::string ids = "{";
    for (int i = 0; i < shown; ++i) ids += (i > 0 ? "," : "") + rows[i][0].as<std::string>();
    ids += "}";
    if (shown > 0) {
      for (const auto& row : tx.Exec("claims/get_claims", call.merchant_id, ids)) {
        *response->add_claims() = storage::ClaimFromRow(row);
      }
    }
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[1].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
