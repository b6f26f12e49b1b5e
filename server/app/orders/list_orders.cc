#include "app/common/page_token.h"
#include "app/orders/orders_use_cases.h"
#include "domain/errors.h"
#include "storage/order_store.h"
#include "storage/transaction.h"

namespace returns::app {

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
    std::vector<v1::Order> orders =
        storage::OrderStore(tx).ListOrders(call.merchant_id, after, *page_size + 1);
    for (int i = 0; i < static_cast<int>(orders.size()) && i < *page_size; ++i) {
      *response->add_orders() = std::move(orders[i]);
    }
    if (static_cast<int>(orders.size()) > *page_size) {
      response->set_next_page_token(EncodePageToken(app.page_token_secret, scope,
                                                    {response->orders(*page_size - 1).order_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
