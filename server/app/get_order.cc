#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetOrder(const AppContext& app, const CallContext& call,
                      const v1::GetOrderRequest& request, v1::Order* response) {
  return storage::RunTransaction(*app.pool, "GetOrder", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("orders/get_order", call.merchant_id, request.order_id());
    if (rows.empty()) return NotFoundError("order", request.order_id());
    *response = storage::OrderFromRow(rows[0]);
    return absl::OkStatus();
  });
}

absl::Status ListOrders(const AppContext& app, const CallContext& call,
                        const v1::ListOrdersRequest& request, v1::ListOrdersResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = call.merchant_id + "|ListOrders";
  auto position = DecodePageToken(app.page_token_secret, scope, request.page_token());
  if (!position.ok()) return position.status();
  if (!position->empty() && position->size() != 1) {
    return InvalidField("page_token", "is not a page token of this list");
  }
  const std::string after = position->empty() ? "" : (*position)[0];
  return storage::RunTransaction(*app.pool, "ListOrders", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("orders/list_orders", call.merchant_id, after, *page_size + 1);
    for (int i = 0; i < static_cast<int>(rows.size()) && i < *page_size; ++i) {
      *response->add_orders() = storage::OrderFromRow(rows[i]);
    }
    if (static_cast<int>(rows.size()) > *page_size) {
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {response->orders(*page_size - 1).order_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
