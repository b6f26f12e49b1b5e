#include "storage/order_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "storage/field_reading.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

v1::Money MoneyOf(const std::string& currency, int64_t amount_minor) {
  v1::Money money;
  money.set_currency_code(currency);
  money.set_amount_minor(amount_minor);
  return money;
}

// The money fields stored as proto JSON (orders.money, order_lines.money) merged into `message`;
// '{}' for orders synced before money as paid merges nothing.
template <typename Message>
void MergeStoredMoney(const std::string& stored, Message* message) {
  Message money;
  if (google::protobuf::util::JsonStringToMessage(stored, &money).ok()) message->MergeFrom(money);
}

// A row of orders/get_order.sql or orders/list_orders.sql.
v1::Order OrderFromRow(const pqxx::row& row) {
  v1::Order order;
  order.set_order_id(row["order_id"].as<std::string>());
  order.set_customer_id(row["customer_id"].as<std::string>());
  order.set_customer_email(row["customer_email"].as<std::string>());
  order.set_currency_code(row["currency_code"].as<std::string>());
  json address = json::parse(row["shipping_address"].as<std::string>());
  v1::Address* a = order.mutable_shipping_address();
  a->set_name(address.value("name", ""));
  a->set_line1(address.value("line1", ""));
  a->set_line2(address.value("line2", ""));
  a->set_city(address.value("city", ""));
  a->set_region(address.value("region", ""));
  a->set_postal_code(address.value("postal_code", ""));
  a->set_country_code(address.value("country_code", ""));
  SetMicros(row["order_time_us"], [&] { return order.mutable_order_time(); });
  SetMicros(row["delivered_time_us"], [&] { return order.mutable_delivered_time(); });
  SetMicros(row["create_time_us"], [&] { return order.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return order.mutable_update_time(); });
  order.set_etag(absl::StrCat("\"", row["version"].as<int64_t>(), "\""));
  int64_t total = 0;
  for (const json& l : json::parse(row["lines"].as<std::string>())) {
    v1::OrderLine* line = order.add_lines();
    line->set_line_id(l.at("line_id").get<std::string>());
    line->set_sku(l.at("sku").get<std::string>());
    line->set_product_id(l.at("product_id").get<std::string>());
    line->set_title(l.at("title").get<std::string>());
    for (const auto& [key, value] : l.at("variant_attributes").items()) {
      (*line->mutable_variant_attributes())[key] = value.get<std::string>();
    }
    line->set_quantity(l.at("quantity").get<int32_t>());
    line->mutable_unit_price()->set_currency_code(order.currency_code());
    line->mutable_unit_price()->set_amount_minor(l.at("unit_price_minor").get<int64_t>());
    line->set_returned_quantity(l.at("returned_quantity").get<int32_t>());
    line->set_category(l.value("category", ""));
    MergeStoredMoney(l.contains("money") ? l.at("money").dump() : "{}", line);
    const int64_t paid = l.value("paid_minor", int64_t{0});
    *line->mutable_paid_total() = MoneyOf(order.currency_code(), paid);
    *line->mutable_tax_total() = MoneyOf(order.currency_code(), l.value("tax_minor", int64_t{0}));
    total += paid;
  }
  order.set_tax_mode(EnumFromName<v1::TaxMode>(row["tax_mode"].as<std::string>()));
  MergeStoredMoney(row["money"].as<std::string>(), &order);
  total += row["shipping_paid_minor"].as<int64_t>();
  *order.mutable_total() = MoneyOf(order.currency_code(), total);
  order.set_has_gift_code(row["has_gift_code"].as<bool>());
  for (const json& p : json::parse(row["payments"].as<std::string>())) {
    v1::Payment* payment = order.add_payments();
    payment->set_payment_id(p.at("payment_id").get<std::string>());
    payment->set_kind(EnumFromName<v1::TenderKind>(p.at("kind").get<std::string>()));
    const int64_t amount = p.at("amount_minor").get<int64_t>();
    const int64_t refunded = p.at("refunded_minor").get<int64_t>();
    *payment->mutable_amount() = MoneyOf(order.currency_code(), amount);
    payment->set_reference(p.at("reference").get<std::string>());
    *payment->mutable_refunded() = MoneyOf(order.currency_code(), refunded);
    *payment->mutable_refundable() =
        MoneyOf(order.currency_code(), std::max<int64_t>(amount - refunded, 0));
  }
  return order;
}

std::vector<OrderLineRow> OrderLines(const pqxx::result& rows) {
  std::vector<OrderLineRow> lines;
  for (const auto& row : rows) {
    OrderLineRow line;
    line.line_id = row["line_id"].as<std::string>();
    line.sku = row["sku"].as<std::string>();
    line.quantity = row["quantity"].as<int32_t>();
    line.returned_quantity = row["returned_quantity"].as<int32_t>();
    line.unit_price_minor = row["unit_price_minor"].as<int64_t>();
    line.claimed_quantity = row["claimed_quantity"].as<int32_t>();
    line.category = row["category"].as<std::string>();
    line.paid_minor = row["paid_minor"].as<int64_t>();
    line.tax_minor = row["tax_minor"].as<int64_t>();
    line.taken_paid_minor = row["taken_paid_minor"].as<int64_t>();
    line.taken_tax_minor = row["taken_tax_minor"].as<int64_t>();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<OrderPaymentRow> OrderPayments(const pqxx::result& rows) {
  std::vector<OrderPaymentRow> payments;
  for (const auto& row : rows) {
    OrderPaymentRow payment;
    payment.payment_id = row["payment_id"].as<std::string>();
    payment.kind = row["kind"].as<std::string>();
    payment.reference = row["reference"].as<std::string>();
    payment.amount_minor = row["amount_minor"].as<int64_t>();
    payment.refunded_minor = row["refunded_minor"].as<int64_t>();
    payment.refundable_minor = row["refundable_minor"].as<int64_t>();
    payments.push_back(std::move(payment));
  }
  return payments;
}

}  // namespace

void OrderStore::AddRefundedToPayments(const std::string& merchant_id, const std::string& order_id,
                                       const std::string& shares_json, int sign) {
  tx_.Exec(sql::kOrdersAddRefundedToPayments, merchant_id, order_id, shares_json, sign);
}

std::vector<OrderPaymentRow> OrderStore::LockOrderPayments(const std::string& merchant_id,
                                                           const std::string& order_id) {
  return OrderPayments(tx_.Exec(sql::kOrdersLockOrderPayments, merchant_id, order_id));
}

std::vector<OrderPaymentRow> OrderStore::ReadOrderPayments(const std::string& merchant_id,
                                                           const std::string& order_id) {
  return OrderPayments(tx_.Exec(sql::kOrdersReadOrderPayments, merchant_id, order_id));
}

void OrderStore::ReplaceOrderPayments(const std::string& merchant_id, const std::string& order_id,
                                      const std::string& payments_json) {
  tx_.Exec(sql::kOrdersReplaceOrderPayments, merchant_id, order_id, payments_json);
}

std::optional<std::string> OrderStore::AttachOrderShipment(
    const std::string& merchant_id, const std::string& order_id, const std::string& carrier,
    const std::string& tracking_number, int64_t promise_time_us, const std::string& lines_json) {
  const pqxx::result rows = tx_.Exec(sql::kOrdersAttachOrderShipment, merchant_id, order_id,
                                     carrier, tracking_number, promise_time_us, lines_json);
  if (rows.empty()) return std::nullopt;
  return rows[0]["shipment_id"].as<std::string>();
}

std::optional<v1::Order> OrderStore::GetOrder(const std::string& merchant_id,
                                              const std::string& order_id) {
  const pqxx::result rows = tx_.Exec(sql::kOrdersGetOrder, merchant_id, order_id);
  if (rows.empty()) return std::nullopt;
  return OrderFromRow(rows[0]);
}

std::optional<ReturnWindow> OrderStore::GetReturnWindow(const std::string& merchant_id,
                                                        const std::string& order_id) {
  const pqxx::result rows = tx_.Exec(sql::kOrdersGetReturnWindow, merchant_id, order_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  ReturnWindow window;
  if (!row["delivered_time_us"].is_null()) {
    window.delivered_time_us = row["delivered_time_us"].as<int64_t>();
  }
  window.return_window_days = row["return_window_days"].as<int32_t>();
  window.final_sale_skus = row["final_sale_skus"].as<std::string>();
  window.currency_code = row["currency_code"].as<std::string>();
  window.now_us = row["now_us"].as<int64_t>();
  window.auto_approve_max_minor = row["auto_approve_max_minor"].as<int64_t>();
  window.default_carrier = row["default_carrier"].as<std::string>();
  window.restocking_fee_minor = row["restocking_fee_minor"].as<int64_t>();
  window.return_shipping_fee_minor = row["return_shipping_fee_minor"].as<int64_t>();
  window.policy_version = row["policy_version"].as<int64_t>();
  window.risk_review_threshold_milli = row["risk_review_threshold_milli"].as<int32_t>();
  window.risk_instant_exchange_max_milli = row["risk_instant_exchange_max_milli"].as<int32_t>();
  window.category_return_window_days = row["category_return_window_days"].as<std::string>();
  window.sku_return_window_days = row["sku_return_window_days"].as<std::string>();
  window.final_sale_categories = row["final_sale_categories"].as<std::string>();
  window.restocking_fee_basis_points = row["restocking_fee_basis_points"].as<int32_t>();
  window.store_credit_restocking_fee_minor = row["store_credit_restocking_fee_minor"].as<int64_t>();
  window.store_credit_restocking_fee_basis_points =
      row["store_credit_restocking_fee_basis_points"].as<int32_t>();
  window.shipping_paid_minor = row["shipping_paid_minor"].as<int64_t>();
  window.shipping_refund_reasons = row["shipping_refund_reasons"].as<std::string>();
  window.refund_tender_order = row["refund_tender_order"].as<std::string>();
  window.gift_refund_to_buyer = row["gift_refund_to_buyer"].as<bool>();
  window.shipping_postal_code = Nullable<std::string>(row["shipping_postal_code"]).value_or("");
  window.gift_code_sha256 = Nullable<std::string>(row["gift_code_sha256"]);
  window.store_credit_bonus_minor = row["store_credit_bonus_minor"].as<int64_t>();
  window.store_credit_bonus_basis_points = row["store_credit_bonus_basis_points"].as<int32_t>();
  window.exchange_bonus_minor = row["exchange_bonus_minor"].as<int64_t>();
  window.exchange_bonus_basis_points = row["exchange_bonus_basis_points"].as<int32_t>();
  window.bonus_cap_per_return_minor = row["bonus_cap_per_return_minor"].as<int64_t>();
  window.bonus_excluded_categories = row["bonus_excluded_categories"].as<std::string>();
  window.bonus_waives_fees = row["bonus_waives_fees"].as<bool>();
  return window;
}

std::vector<v1::Order> OrderStore::ListOrders(const std::string& merchant_id,
                                              const std::string& after_order_id, int limit) {
  std::vector<v1::Order> orders;
  for (const auto& row : tx_.Exec(sql::kOrdersListOrders, merchant_id, after_order_id, limit)) {
    orders.push_back(OrderFromRow(row));
  }
  return orders;
}

std::optional<OrderSyncLock> OrderStore::LockOrderForSync(const std::string& merchant_id,
                                                          const std::string& order_id) {
  const pqxx::result rows = tx_.Exec(sql::kOrdersLockOrderForSync, merchant_id, order_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  OrderSyncLock lock;
  lock.currency_code = row["currency_code"].as<std::string>();
  lock.has_returns = row["has_returns"].as<bool>();
  return lock;
}

std::vector<OrderLineRow> OrderStore::LockOrderLines(const std::string& merchant_id,
                                                     const std::string& order_id) {
  return OrderLines(tx_.Exec(sql::kOrdersLockOrderLines, merchant_id, order_id));
}

bool OrderStore::OrderExists(const std::string& merchant_id, const std::string& order_id) {
  return !tx_.Exec(sql::kOrdersOrderExists, merchant_id, order_id).empty();
}

std::vector<OrderLineRow> OrderStore::ReadOrderLines(const std::string& merchant_id,
                                                     const std::string& order_id) {
  return OrderLines(tx_.Exec(sql::kOrdersReadOrderLines, merchant_id, order_id));
}

std::vector<std::string> OrderStore::ReferencedOrderLines(const std::string& merchant_id,
                                                          const std::string& order_id) {
  std::vector<std::string> ids;
  for (const auto& row : tx_.Exec(sql::kOrdersReferencedOrderLines, merchant_id, order_id)) {
    ids.push_back(row["order_line_id"].as<std::string>());
  }
  return ids;
}

void OrderStore::ReplaceOrderLines(const std::string& merchant_id, const std::string& order_id,
                                   const std::string& lines_json) {
  tx_.Exec(sql::kOrdersReplaceOrderLines, merchant_id, order_id, lines_json);
}

bool OrderStore::SetDeliveredFromParcel(const std::string& merchant_id, const std::string& order_id,
                                        int64_t delivered_time_us) {
  return !tx_.Exec(sql::kOrdersSetDeliveredFromParcel, merchant_id, order_id, delivered_time_us)
              .empty();
}

void OrderStore::SetGiftCode(const std::string& merchant_id, const std::string& order_id,
                             const std::string& gift_code_sha256) {
  tx_.Exec(sql::kOrdersSetGiftCode, merchant_id, order_id, gift_code_sha256);
}

bool OrderStore::ShippingRefundTaken(const std::string& merchant_id, const std::string& order_id) {
  return tx_.Exec(sql::kOrdersShippingRefundTaken, merchant_id, order_id)[0]["taken"].as<bool>();
}

std::vector<ShippedQuantity> OrderStore::ShippedQuantities(const std::string& merchant_id,
                                                           const std::string& order_id) {
  std::vector<ShippedQuantity> shipped;
  for (const auto& row : tx_.Exec(sql::kOrdersShippedQuantities, merchant_id, order_id)) {
    ShippedQuantity line;
    line.order_line_id = row["order_line_id"].as<std::string>();
    line.shipped_quantity = row["shipped_quantity"].as<int32_t>();
    shipped.push_back(std::move(line));
  }
  return shipped;
}

std::optional<UpsertedOrder> OrderStore::UpsertOrder(
    const std::string& merchant_id, const std::string& order_id, const std::string& customer_id,
    const std::string& customer_email, const std::string& currency_code,
    const std::string& shipping_address_json, const std::string& order_time_us,
    const std::string& delivered_time_us, const std::string& content_hash,
    const std::string& tax_mode, const std::string& money_json, int64_t shipping_paid_minor,
    int64_t shipping_tax_minor) {
  const pqxx::result rows =
      tx_.Exec(sql::kOrdersUpsertOrder, merchant_id, order_id, customer_id, customer_email,
               currency_code, shipping_address_json, order_time_us, delivered_time_us, content_hash,
               tax_mode, money_json, shipping_paid_minor, shipping_tax_minor);
  if (rows.empty()) return std::nullopt;
  UpsertedOrder upserted;
  upserted.inserted = rows[0]["inserted"].as<bool>();
  return upserted;
}

}  // namespace returns::storage
