#include "exchange_fixture.h"

#include "absl/time/clock.h"
#include "client/returns_client.h"

namespace returns::testing {

v1::UpsertOrderRequest ExchangeOrder(const std::string& order_id, int lines) {
  v1::UpsertOrderRequest request;
  request.set_request_id(client::NewRequestId());
  v1::Order* order = request.mutable_order();
  order->set_order_id(order_id);
  order->set_customer_id("customer-9");
  order->set_currency_code("EUR");
  for (int i = 0; i < lines; ++i) {
    auto* line = order->add_lines();
    line->set_line_id("L" + std::to_string(i));
    line->set_sku("TEE-BLUE-S");
    line->set_quantity(1);
    line->mutable_unit_price()->set_currency_code("EUR");
    line->mutable_unit_price()->set_amount_minor(2500);
  }
  order->mutable_delivered_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3 * 86400);
  return request;
}

v1::CreateReturnRequest ExchangeReturn(const std::string& order_id, int lines) {
  v1::CreateReturnRequest request;
  request.set_request_id(client::NewRequestId());
  request.set_order_id(order_id);
  for (int i = 0; i < lines; ++i) {
    auto* line = request.add_lines();
    line->set_order_line_id("L" + std::to_string(i));
    line->set_quantity(1);
    line->set_reason(v1::RETURN_REASON_TOO_SMALL);
    line->set_resolution(v1::RESOLUTION_EXCHANGE);
    line->set_replacement_sku("TEE-BLUE-M");
  }
  return request;
}

v1::SetInventoryLevelsRequest ReplacementStock(int on_hand, int64_t unit_minor) {
  v1::SetInventoryLevelsRequest request;
  request.set_request_id(client::NewRequestId());
  auto* level = request.add_levels();
  level->set_sku("TEE-BLUE-M");
  level->set_on_hand(on_hand);
  level->mutable_unit_price()->set_currency_code("EUR");
  level->mutable_unit_price()->set_amount_minor(unit_minor);
  return request;
}

v1::IssueExchangeTokenRequest IssueRequest(const std::string& return_id, int index) {
  v1::IssueExchangeTokenRequest request;
  request.set_request_id(client::NewRequestId());
  request.set_return_id(return_id);
  request.set_order_line_id("L" + std::to_string(index));
  return request;
}

}  // namespace returns::testing
