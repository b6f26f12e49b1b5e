#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "returns/v1/order.pb.h"
#include "returns/v1/return.pb.h"

// The rules a return must pass against its order, as pure functions of loaded data.
namespace returns {

// An order line as the rules see it, read under a row lock.
struct OrderLineSnapshot {
  std::string line_id;
  std::string sku;
  int32_t quantity = 0;
  int32_t returned_quantity = 0;
  // True when any return (even a cancelled one) references the line (when it was asked).
  bool referenced = false;
  // The line's unit price in the order's currency: what a new return snapshots.
  int64_t unit_price_minor = 0;
  // Units covered by claims that are not denied: neither returnable nor claimable again.
  int32_t claimed_quantity = 0;
  // The product category the storefront gave the line ("" when none).
  std::string category;
  // What the line paid and the tax in it, and what live returns and claims took of them
  // (docs/money.md, "Refundable amount of units").
  int64_t paid_minor = 0;
  int64_t tax_minor = 0;
  int64_t taken_paid_minor = 0;
  int64_t taken_tax_minor = 0;
};

// The policy's per-line return rules (docs/policy.md): windows by SKU, then category, then the
// default; final sale by SKU or category.
struct LineReturnRules {
  int default_window_days = 30;
  std::map<std::string, int> window_days_by_category;
  std::map<std::string, int> window_days_by_sku;
  std::set<std::string> final_sale_skus;
  std::set<std::string> final_sale_categories;

  int WindowDays(const OrderLineSnapshot& line) const;
  // Why the line is final sale ("SKU X is final sale", "category Y is final sale"); "" if not.
  std::string FinalSale(const OrderLineSnapshot& line) const;
};

// FAILED_PRECONDITION ORDER_NOT_DELIVERED without a delivery time, RETURN_WINDOW_CLOSED when
// `now` is later than delivery + window_days (the last instant of the window still counts).
absl::Status CheckReturnWindow(std::optional<absl::Time> delivered_time, int window_days,
                               absl::Time now);

// Every requested line must name a line of the order (INVALID_ARGUMENT naming
// lines[i].order_line_id), must not be a final-sale SKU (FAILED_PRECONDITION FINAL_SALE) and
// must fit in what was bought minus what is already returned or claimed (FAILED_PRECONDITION
// RETURN_QUANTITY_EXCEEDED naming lines[i].quantity and the returnable count).
absl::Status CheckReturnQuantities(const std::vector<OrderLineSnapshot>& order_lines,
                                   const LineReturnRules& rules,
                                   const google::protobuf::RepeatedPtrField<v1::ReturnLine>& lines);

// An order re-synced while returns exist may not drop a line any return, claim or parcel
// references, nor lower a quantity below what is returned or claimed (FAILED_PRECONDITION
// ORDER_LINE_IN_USE).
absl::Status CheckOrderLineChanges(const std::vector<OrderLineSnapshot>& existing,
                                   const v1::Order& updated);

}  // namespace returns
