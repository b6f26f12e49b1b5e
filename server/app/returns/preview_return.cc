#include "app/returns/quote_return.h"
#include "app/returns/returns_use_cases.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status PreviewReturn(const AppContext& app, const CallContext& call,
                           const v1::PreviewReturnRequest& request, v1::SettlementPlan* response) {
  v1::CreateReturnRequest as_created;
  as_created.set_order_id(request.order_id());
  *as_created.mutable_lines() = request.lines();
  if (request.has_gift()) *as_created.mutable_gift() = request.gift();
  return storage::RunTransaction(*app.pool, "PreviewReturn", call.deadline, [&](storage::Tx& tx) {
    auto quote =
        QuoteReturn(tx, call, as_created, /*outside_window_allowed=*/false, /*lock_lines=*/false);
    if (!quote.ok()) return quote.status();
    *response = quote->plan;
    return absl::OkStatus();
  });
}

}  // namespace returns::app
