#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/claims/claims_use_cases.h"
#include "domain/claim_rules.h"
#include "storage/claim_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status ListClaims(const AppContext& app, const CallContext& call,
                        const v1::ListClaimsRequest& request, v1::ListClaimsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  // The review queue is the claims in review.
  const std::string state = request.needs_review() ? "IN_REVIEW"
                            : request.state() == v1::CLAIM_STATE_UNSPECIFIED
                                ? std::string()
                                : EnumText(request.state());
  const std::string type =
      request.type() == v1::CLAIM_TYPE_UNSPECIFIED ? std::string() : EnumText(request.type());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListClaims|", request.order_id(), "|", state, "|", type);
  // Oldest first: the first page starts after the beginning of time.
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListClaims", call.deadline, [&](storage::Tx& tx) {
    storage::ClaimStore claims(tx);
    const std::vector<storage::ClaimPosition> positions =
        claims.ListClaims(call.merchant_id, request.order_id(), state, type, position->time_us,
                          position->id, *page_size + 1);
    const int shown = std::min<int>(positions.size(), *page_size);
    // The page's claims in one statement, in the same (time, id) order.
    std::vector<std::string> ids;
    for (int i = 0; i < shown; ++i) ids.push_back(positions[i].claim_id);
    if (shown > 0) {
      for (v1::Claim& claim : claims.GetClaims(call.merchant_id, ids)) {
        *response->add_claims() = std::move(claim);
      }
    }
    if (static_cast<int>(positions.size()) > *page_size) {
      const storage::ClaimPosition& last = positions[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {absl::StrCat(last.create_time_us), last.claim_id}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
