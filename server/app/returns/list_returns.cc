#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/return_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status ListReturns(const AppContext& app, const CallContext& call,
                         const v1::ListReturnsRequest& request, v1::ListReturnsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state_filter =
      request.state() == v1::RETURN_STATE_UNSPECIFIED ? "" : EnumText(request.state());
  // The filters are part of the scope: a token only continues the list it came from.
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListReturns|", request.order_id(), "|", state_filter);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListReturns", call.deadline, [&](storage::Tx& tx) {
    std::vector<storage::ListedReturn> listed =
        storage::ReturnStore(tx).ListReturns(call.merchant_id, request.order_id(), state_filter,
                                             position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(listed.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_returns() = listed[i].resource;
    if (static_cast<int>(listed.size()) > *page_size) {
      // The next page starts after the last return shown: its create time and id.
      const storage::ListedReturn& last = listed[shown - 1];
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope,
                          {absl::StrCat(last.create_time_us), last.resource.return_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
