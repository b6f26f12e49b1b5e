#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/enum_text.h"
#include "app/common/idempotency.h"
#include "app/orders/lock_order_lines.h"
#include "app/common/record_transition.h"
#include "app/logistics/shipment_events.h"
#include "app/orders/orders_use_cases.h"
#include "domain/errors.h"
#include "domain/paid_money.h"
#include "domain/return_rules.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "storage/order_store.h"
#include "storage/shipment_store.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

std::string MicrosOrEmpty(bool has, const google::protobuf::Timestamp& t) {
  return has ? absl::StrCat(TimeUtil::TimestampToMicroseconds(t)) : std::string();
}

// A hash of what the storefront sent, output-only fields left out: an upsert of an unchanged
// order is a no-op with no timeline event.
std::string ContentHash(v1::Order order, const OrderMoney& paid) {
  order.clear_create_time();
  order.clear_update_time();
  order.clear_etag();
  // The computed money as the order is read back (GetOrder), so that syncing back what was read
  // is no change: the total and the allocated discount shares are what the service derives.
  order.clear_total();
  // The gift code is kept apart (orders.gift_code_sha256): a re-sync without it keeps it.
  order.clear_gift_code();
  order.clear_has_gift_code();
  for (int i = 0; i < order.lines_size(); ++i) {
    v1::OrderLine& line = *order.mutable_lines(i);
    line.clear_returned_quantity();
    line.clear_paid_total();
    line.clear_tax_total();
    line.clear_order_discount_share();
    if (i < static_cast<int>(paid.lines.size()) && paid.lines[i].order_discount_share_minor > 0) {
      line.mutable_order_discount_share()->set_currency_code(order.currency_code());
      line.mutable_order_discount_share()->set_amount_minor(
          paid.lines[i].order_discount_share_minor);
    }
  }
  for (auto& payment : *order.mutable_payments()) {
    payment.clear_refunded();
    payment.clear_refundable();
  }
  return RequestFingerprint("Order", order);  // deterministic serialization, maps included
}

std::string AddressJson(const v1::Address& a) {
  return nlohmann::json{{"name", a.name()},
                        {"line1", a.line1()},
                        {"line2", a.line2()},
                        {"city", a.city()},
                        {"region", a.region()},
                        {"postal_code", a.postal_code()},
                        {"country_code", a.country_code()}}
      .dump();
}

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out);
  return out.empty() ? "{}" : out;
}

// What the storefront sent of a line's money, with the order-level discount share as allocated
// (order_lines.money).
std::string LineMoneyJson(const v1::OrderLine& line, const LineMoney& paid,
                          const std::string& currency) {
  v1::OrderLine money;
  if (line.has_line_discount()) *money.mutable_line_discount() = line.line_discount();
  if (paid.order_discount_share_minor > 0) {
    money.mutable_order_discount_share()->set_currency_code(currency);
    money.mutable_order_discount_share()->set_amount_minor(paid.order_discount_share_minor);
  }
  *money.mutable_tax_lines() = line.tax_lines();
  return ProtoJson(money);
}

// The order-level money as sent (orders.money).
std::string OrderMoneyJson(const v1::Order& order) {
  v1::Order money;
  if (order.has_order_discount()) *money.mutable_order_discount() = order.order_discount();
  *money.mutable_discount_codes() = order.discount_codes();
  if (order.has_shipping()) *money.mutable_shipping() = order.shipping();
  *money.mutable_shipping_tax_lines() = order.shipping_tax_lines();
  return ProtoJson(money);
}

std::string PaymentsJson(const v1::Order& order) {
  nlohmann::json payments = nlohmann::json::array();
  for (int i = 0; i < order.payments_size(); ++i) {
    const v1::Payment& p = order.payments(i);
    payments.push_back({{"payment_id", p.payment_id()},
                        {"position", i},
                        {"kind", EnumText(p.kind())},
                        {"amount_minor", p.amount().amount_minor()},
                        {"reference", p.reference()}});
  }
  return payments.dump();
}

std::string LinesJson(const v1::Order& order, const OrderMoney& paid) {
  nlohmann::json lines = nlohmann::json::array();
  for (int i = 0; i < order.lines_size(); ++i) {
    const v1::OrderLine& l = order.lines(i);
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& [key, value] : l.variant_attributes()) attributes[key] = value;
    lines.push_back(
        {{"line_id", l.line_id()},
         {"position", i},
         {"sku", l.sku()},
         {"product_id", l.product_id()},
         {"title", l.title()},
         {"variant_attributes", attributes},
         {"quantity", l.quantity()},
         {"unit_price_minor", l.unit_price().amount_minor()},
         {"category", l.category()},
         {"money", nlohmann::json::parse(LineMoneyJson(l, paid.lines[i], order.currency_code()))},
         {"paid_minor", paid.lines[i].paid_minor},
         {"tax_minor", paid.lines[i].tax_minor}});
  }
  return lines.dump();
}

std::string Rfc3339(const google::protobuf::Timestamp& t) { return TimeUtil::ToString(t); }

// A re-sync may not lower a line below the units its parcels hold (ORDER_LINE_IN_USE).
absl::Status CheckParcelsStillFit(storage::Tx& tx, const CallContext& call,
                                  const v1::Order& order) {
  std::map<std::string, int> index;
  for (int i = 0; i < order.lines_size(); ++i) index[order.lines(i).line_id()] = i;
  for (const storage::ShippedQuantity& line :
       storage::OrderStore(tx).ShippedQuantities(call.merchant_id, order.order_id())) {
    auto it = index.find(line.order_line_id);
    const int32_t shipped = line.shipped_quantity;
    if (it != index.end() && order.lines(it->second).quantity() < shipped) {
      const std::string field = absl::StrCat("order.lines[", it->second, "].quantity");
      return PreconditionError(
          reason::kOrderLineInUse,
          absl::StrCat(field, ": the order's parcels hold ", shipped,
                       " units of the line, so the quantity cannot go below that"),
          {{"field", field}});
    }
  }
  return absl::OkStatus();
}

// The order's own parcels (request.shipments): each attached once (its carrier and tracking
// number are its identity); over all parcels, a line's units at most what was bought.
absl::Status AttachShipments(storage::Tx& tx, const CallContext& call,
                             const v1::UpsertOrderRequest& request) {
  if (request.shipments().empty()) return absl::OkStatus();
  const v1::Order& order = request.order();
  std::map<std::string, int32_t> bought;
  for (const auto& line : order.lines()) bought[line.line_id()] = line.quantity();
  LockOrderLines(tx, call.merchant_id, order.order_id());
  std::map<std::string, int32_t> shipped;
  for (const storage::ShippedQuantity& line :
       storage::OrderStore(tx).ShippedQuantities(call.merchant_id, order.order_id())) {
    shipped[line.order_line_id] = line.shipped_quantity;
  }
  for (int i = 0; i < request.shipments_size(); ++i) {
    const v1::OrderShipment& parcel = request.shipments(i);
    const std::string at = absl::StrCat("shipments[", i, "]");
    const std::optional<storage::TrackingOwner> owner =
        storage::ShipmentStore(tx).ShipmentTrackingOwner(call.merchant_id, parcel.carrier(),
                                                         parcel.tracking_number());
    if (owner) {
      if (owner->order_id == order.order_id() && owner->purpose == "ORDER") {
        continue;  // attached before: left as it is
      }
      return ErrorWithReason(absl::StatusCode::kAlreadyExists, reason::kTrackingNumberInUse,
                             absl::StrCat(at,
                                          ".tracking_number: another shipment has this carrier "
                                          "and tracking number"),
                             {{"field", at + ".tracking_number"}});
    }
    nlohmann::json lines = nlohmann::json::array();
    for (int j = 0; j < parcel.lines_size(); ++j) {
      const v1::ShipmentLine& line = parcel.lines(j);
      const std::string line_at = absl::StrCat(at, ".lines[", j, "]");
      auto it = bought.find(line.order_line_id());
      if (it == bought.end()) {
        return InvalidField(line_at + ".order_line_id",
                            absl::StrCat("the order has no line \"", line.order_line_id(), "\""));
      }
      shipped[line.order_line_id()] += line.quantity();
      if (shipped[line.order_line_id()] > it->second) {
        return InvalidField(
            line_at + ".quantity",
            absl::StrCat("the order's parcels would hold ", shipped[line.order_line_id()],
                         " units of the line; ", it->second, " were bought"));
      }
      lines.push_back({{"order_line_id", line.order_line_id()}, {"quantity", line.quantity()}});
    }
    const std::optional<std::string> attached = storage::OrderStore(tx).AttachOrderShipment(
        call.merchant_id, order.order_id(), parcel.carrier(), parcel.tracking_number(),
        TimeUtil::TimestampToMicroseconds(parcel.promise_time()), lines.dump());
    if (!attached) continue;
    RecordShipmentTransition(
        tx, call, *attached, event_type::kShipmentAttached,
        absl::StrCat("Order parcel ", parcel.carrier(), " ", parcel.tracking_number(),
                     " attached; delivery promised by ", Rfc3339(parcel.promise_time())));
  }
  return absl::OkStatus();
}

// A re-sync keeps every tender that refunds were split to, at least at what they took
// (PAYMENT_REFUNDED naming it otherwise): the refunds' record of where money went must stay true.
absl::Status CheckRefundedPaymentsKept(storage::Tx& tx, const CallContext& call,
                                       const v1::Order& order) {
  std::map<std::string, int64_t> amount_by_id;
  for (const v1::Payment& p : order.payments())
    amount_by_id[p.payment_id()] = p.amount().amount_minor();
  for (const storage::OrderPaymentRow& row :
       storage::OrderStore(tx).LockOrderPayments(call.merchant_id, order.order_id())) {
    if (row.refunded_minor == 0) continue;
    auto it = amount_by_id.find(row.payment_id);
    if (it == amount_by_id.end() || it->second < row.refunded_minor) {
      return PreconditionError(
          reason::kPaymentRefunded,
          absl::StrCat("order.payments: refunds of ", row.refunded_minor, " were split to payment ",
                       row.payment_id, ", so it must stay with at least that amount"),
          {{"field", "order.payments"},
           {"payment_id", row.payment_id},
           {"refunded_minor", absl::StrCat(row.refunded_minor)}});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UpsertOrder(const AppContext& app, CallContext& call,
                         const v1::UpsertOrderRequest& request, v1::Order* response) {
  const v1::Order& order = request.order();
  // Validation checked the money (api/validation); this computes the allocated shares.
  const absl::StatusOr<OrderMoney> paid = ComputeOrderMoney(order, "order");
  if (!paid.ok()) return paid.status();
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    // Returns snapshot the order's currency and prices, so a re-sync never changes money already
    // promised; a currency change of an order with returns would make their amounts meaningless
    // next to the order's, so it is refused.
    storage::OrderStore orders(tx);
    const std::optional<storage::OrderSyncLock> existing =
        orders.LockOrderForSync(call.merchant_id, order.order_id());
    if (existing && existing->has_returns && existing->currency_code != order.currency_code()) {
      return PreconditionError(
          reason::kOrderCurrencyLocked,
          absl::StrCat("the order has returns in ", existing->currency_code,
                       "; its currency cannot change"),
          {{"field", "order.currency_code"}, {"currency_code", existing->currency_code}});
    }
    const std::optional<storage::UpsertedOrder> changed = orders.UpsertOrder(
        call.merchant_id, order.order_id(), order.customer_id(), order.customer_email(),
        order.currency_code(), AddressJson(order.shipping_address()),
        MicrosOrEmpty(order.has_order_time(), order.order_time()),
        MicrosOrEmpty(order.has_delivered_time(), order.delivered_time()),
        ContentHash(order, *paid), EnumText(order.tax_mode()), OrderMoneyJson(order),
        paid->shipping_paid_minor, paid->shipping_tax_minor);
    const bool inserted = changed && changed->inserted;
    if (changed) {
      if (!inserted) {
        std::vector<OrderLineSnapshot> existing =
            LockOrderLines(tx, call.merchant_id, order.order_id(), /*with_references=*/true);
        if (absl::Status s = CheckOrderLineChanges(existing, order); !s.ok()) return s;
        if (absl::Status s = CheckParcelsStillFit(tx, call, order); !s.ok()) return s;
        if (absl::Status s = CheckRefundedPaymentsKept(tx, call, order); !s.ok()) return s;
      }
      orders.ReplaceOrderLines(call.merchant_id, order.order_id(), LinesJson(order, *paid));
      orders.ReplaceOrderPayments(call.merchant_id, order.order_id(), PaymentsJson(order));
    }
    if (!order.gift_code().empty()) {
      orders.SetGiftCode(call.merchant_id, order.order_id(), crypto::Sha256Hex(order.gift_code()));
    }
    // Inserted or kept by the upsert, so the order is there.
    *response = orders.GetOrder(call.merchant_id, order.order_id()).value();
    if (changed) {
      RecordTransition(tx, call,
                       Transition{order.order_id(), "order", order.order_id(),
                                  inserted ? event_type::kOrderCreated : event_type::kOrderUpdated,
                                  order.has_delivered_time() ? "DELIVERED" : "PLACED",
                                  absl::StrCat(inserted ? "Order synced" : "Order updated",
                                               " with ", order.lines_size(), " line(s)",
                                               order.has_delivered_time() ? ", delivered" : ""),
                                  response});
    }
    return AttachShipments(tx, call, request);
  });
}

}  // namespace returns::app
