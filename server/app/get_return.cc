#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetReturn(const AppContext& app, const CallContext& call,
                       const v1::GetReturnRequest& request, v1::Return* response) {
  return storage::RunTransaction(*app.pool, "GetReturn", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("returns/get_return", call.merchant_id, request.return_id());
    if (rows.empty()) return NotFoundError("return", request.return_id());
    *response = storage::ReturnFromRow(rows[0]);
    return absl::OkStatus();
  });
}

absl::Status ListReturns(const AppContext& app, const CallContext& call,
                         const v1::ListReturnsRequest& request, v1::ListReturnsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state_filter =
      request.state() == v1::RETURN_STATE_UNSPECIFIED ? "" : std::string(ReturnStateName(request.state()));
  // The filters are part of the scope: a token only continues the list it came from.
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListReturns|", request.order_id(), "|", state_filter);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListReturns", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("returns/list_returns", call.merchant_id, request.order_id(), state_filter,
                        position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_returns() = storage::ReturnFromRow(rows[i]);
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[4].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
