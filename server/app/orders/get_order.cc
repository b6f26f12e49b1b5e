#include "app/common/page_token.h"
#include "app/orders/orders_use_cases.h"
#include "domain/errors.h"
#include "storage/order_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetOrder(const AppContext& app, const CallContext& call,
                      const v1::GetOrderRequest& request, v1::Order* response) {
  return storage::RunTransaction(*app.pool, "GetOrder", call.deadline, [&](storage::Tx& tx) {
    std::optional<v1::Order> found =
        storage::OrderStore(tx).GetOrder(call.merchant_id, request.order_id());
    if (!found) return NotFoundError("order", request.order_id());
    *response = *std::move(found);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
