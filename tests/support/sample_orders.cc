#include "sample_orders.h"

#include "absl/time/clock.h"
#include "client/returns_client.h"
#include "google/protobuf/util/time_util.h"

namespace returns::testing {

using google::protobuf::util::TimeUtil;

v1::UpsertOrderRequest SampleOrder(const std::string& order_id, int quantity,
                                   int delivered_days_ago) {
  v1::UpsertOrderRequest request;
  request.set_request_id(client::NewRequestId());
  v1::Order* order = request.mutable_order();
  order->set_order_id(order_id);
  order->set_customer_id("customer-7");
  order->set_customer_email("ada@example.com");
  order->set_currency_code("EUR");
  auto* l1 = order->add_lines();
  l1->set_line_id("L1");
  l1->set_sku("TEE-BLUE-S");
  l1->set_title("Blue tee");
  (*l1->mutable_variant_attributes())["size"] = "S";
  l1->set_quantity(quantity);
  l1->mutable_unit_price()->set_currency_code("EUR");
  l1->mutable_unit_price()->set_amount_minor(2500);
  auto* l2 = order->add_lines();
  l2->set_line_id("L2");
  l2->set_sku("CAP-RED");
  l2->set_quantity(1);
  l2->mutable_unit_price()->set_currency_code("EUR");
  l2->mutable_unit_price()->set_amount_minor(1500);
  auto* address = order->mutable_shipping_address();
  address->set_name("Ada Lovelace");
  address->set_line1("12 Secret Street");
  address->set_city("London");
  address->set_country_code("GB");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  order->mutable_order_time()->set_seconds(now - 86400 * (delivered_days_ago + 5));
  if (delivered_days_ago >= 0) {
    order->mutable_delivered_time()->set_seconds(now - 86400 * delivered_days_ago);
  }
  return request;
}

v1::CreateReturnRequest SampleReturn(const std::string& order_id, const std::string& line_id,
                                     int quantity) {
  v1::CreateReturnRequest request;
  request.set_request_id(client::NewRequestId());
  request.set_order_id(order_id);
  auto* line = request.add_lines();
  line->set_order_line_id(line_id);
  line->set_quantity(quantity);
  line->set_reason(v1::RETURN_REASON_TOO_SMALL);
  line->set_resolution(v1::RESOLUTION_REFUND);
  return request;
}

}  // namespace returns::testing
