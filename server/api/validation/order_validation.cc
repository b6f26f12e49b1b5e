// Validation of OrderService's requests (api/request_validation.h): the first bad field gets
// INVALID_ARGUMENT naming it. Shared field checks: api/validation/field_checks.h.
#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/request_validation.h"
#include "api/validation/field_checks.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "domain/kpis.h"
#include "domain/money.h"
#include "domain/paid_money.h"
#include "google/protobuf/util/time_util.h"

namespace returns::api {

using google::protobuf::util::TimeUtil;

namespace {

// How many tax lines, tenders and discount codes an order may carry, and how long their texts
// are (docs/api.md, "Limits on input").
constexpr int kMaxTaxLines = 10;
constexpr int kMaxPayments = 20;
constexpr int kMaxDiscountCodes = 20;
constexpr size_t kMaxMoneyText = 100;

absl::Status CheckTaxLines(const google::protobuf::RepeatedPtrField<v1::TaxLine>& tax_lines,
                           const std::string& field) {
  if (tax_lines.size() > kMaxTaxLines) {
    return InvalidField(field, absl::StrCat("must have at most ", kMaxTaxLines, " tax lines"));
  }
  for (int j = 0; j < tax_lines.size(); ++j) {
    if (tax_lines[j].title().size() > kMaxMoneyText) {
      return InvalidField(absl::StrCat(field, "[", j, "].title"),
                          absl::StrCat("must be at most ", kMaxMoneyText, " bytes"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOrderMoneyBounds(const v1::Order& order) {
  for (int i = 0; i < order.lines_size(); ++i) {
    RETURN_IF_ERROR(
        CheckTaxLines(order.lines(i).tax_lines(), absl::StrCat("order.lines[", i, "].tax_lines")));
  }
  RETURN_IF_ERROR(CheckTaxLines(order.shipping_tax_lines(), "order.shipping_tax_lines"));
  if (order.payments_size() > kMaxPayments) {
    return InvalidField("order.payments",
                        absl::StrCat("must have at most ", kMaxPayments, " payments"));
  }
  if (order.discount_codes_size() > kMaxDiscountCodes) {
    return InvalidField("order.discount_codes",
                        absl::StrCat("must have at most ", kMaxDiscountCodes, " codes"));
  }
  for (int i = 0; i < order.discount_codes_size(); ++i) {
    if (order.discount_codes(i).size() > kMaxMoneyText) {
      return InvalidField(absl::StrCat("order.discount_codes[", i, "]"),
                          absl::StrCat("must be at most ", kMaxMoneyText, " bytes"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Validate(const v1::UpsertOrderRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_order()) return InvalidField("order", "is required");
  const v1::Order& order = request.order();
  RETURN_IF_ERROR(CheckId("order.order_id", order.order_id()));
  RETURN_IF_ERROR(CheckOptionalId("order.customer_id", order.customer_id()));
  if (!order.customer_email().empty()) {
    RETURN_IF_ERROR(CheckEmail("order.customer_email", order.customer_email()));
  }
  if (!IsCurrencyCode(order.currency_code())) {
    return InvalidField("order.currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
  if (order.lines_size() == 0) return InvalidField("order.lines", "must have at least one line");
  if (order.lines_size() > kMaxOrderLines) {
    return InvalidField("order.lines",
                        absl::StrCat("must have at most ", kMaxOrderLines, " lines"));
  }
  std::set<std::string> line_ids;
  for (int i = 0; i < order.lines_size(); ++i) {
    RETURN_IF_ERROR(CheckOrderLine(order, i));
    if (!line_ids.insert(order.lines(i).line_id()).second) {
      return InvalidField(absl::StrCat("order.lines[", i, "].line_id"), "is used by two lines");
    }
  }
  RETURN_IF_ERROR(CheckOrderMoneyBounds(order));
  RETURN_IF_ERROR(CheckText("order.gift_code", order.gift_code(), 128));
  // Discounts, tax, shipping and tenders (docs/money.md); computed again by UpsertOrder.
  if (absl::Status money = ComputeOrderMoney(order, "order").status(); !money.ok()) {
    // Amounts too large to add up are bad input like any other.
    if (money.code() == absl::StatusCode::kOutOfRange) {
      return InvalidField("order", "its amounts are too large to add up in 64 bits");
    }
    return money;
  }
  RETURN_IF_ERROR(CheckAddress(order.shipping_address()));
  if (order.has_order_time())
    RETURN_IF_ERROR(CheckPastTime("order.order_time", order.order_time()));
  if (order.has_delivered_time()) {
    RETURN_IF_ERROR(CheckPastTime("order.delivered_time", order.delivered_time()));
    if (order.has_order_time() && order.delivered_time() < order.order_time()) {
      return InvalidField("order.delivered_time", "must not be before order.order_time");
    }
  }
  if (request.shipments_size() > kMaxOrderShipments) {
    return InvalidField("shipments",
                        absl::StrCat("must have at most ", kMaxOrderShipments, " parcels"));
  }
  for (int i = 0; i < request.shipments_size(); ++i) {
    const v1::OrderShipment& parcel = request.shipments(i);
    const std::string at = absl::StrCat("shipments[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".carrier", parcel.carrier()));
    RETURN_IF_ERROR(CheckId(at + ".tracking_number", parcel.tracking_number()));
    if (!parcel.has_promise_time()) return InvalidField(at + ".promise_time", "is required");
    RETURN_IF_ERROR(CheckTimestamp(at + ".promise_time", parcel.promise_time()));
    if (parcel.lines_size() == 0) return InvalidField(at + ".lines", "must have at least one line");
    if (parcel.lines_size() > kMaxOrderLines) {
      return InvalidField(at + ".lines",
                          absl::StrCat("must have at most ", kMaxOrderLines, " lines"));
    }
    std::set<std::string> in_parcel;
    for (int j = 0; j < parcel.lines_size(); ++j) {
      const std::string line_at = absl::StrCat(at, ".lines[", j, "]");
      RETURN_IF_ERROR(CheckId(line_at + ".order_line_id", parcel.lines(j).order_line_id()));
      RETURN_IF_ERROR(CheckQuantity(line_at + ".quantity", parcel.lines(j).quantity()));
      if (!in_parcel.insert(parcel.lines(j).order_line_id()).second) {
        return InvalidField(line_at + ".order_line_id", "is in the parcel twice");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetOrderRequest& request) {
  return CheckId("order_id", request.order_id());
}

absl::Status Validate(const v1::ListOrdersRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

}  // namespace returns::api
