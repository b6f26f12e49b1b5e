#include "domain/return_rules.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace returns {

absl::Status CheckReturnWindow(std::optional<absl::Time> delivered_time, int window_days,
                               absl::Time now) {
  if (!delivered_time.has_value()) {
    return PreconditionError(reason::kOrderNotDelivered,
                             "the order has not been delivered, so no return window is open");
  }
  absl::Time closes = *delivered_time + absl::Hours(24) * window_days;
  if (now > closes) {
    return PreconditionError(
        reason::kReturnWindowClosed,
        absl::StrCat("the ", window_days, "-day return window closed at ",
                     absl::FormatTime(absl::RFC3339_sec, closes, absl::UTCTimeZone())),
        {{"window_days", absl::StrCat(window_days)},
         {"window_close_time", absl::FormatTime(absl::RFC3339_sec, closes, absl::UTCTimeZone())}});
  }
  return absl::OkStatus();
}

int LineReturnRules::WindowDays(const OrderLineSnapshot& line) const {
  if (auto it = window_days_by_sku.find(line.sku); it != window_days_by_sku.end())
    return it->second;
  if (auto it = window_days_by_category.find(line.category);
      !line.category.empty() && it != window_days_by_category.end()) {
    return it->second;
  }
  return default_window_days;
}

std::string LineReturnRules::FinalSale(const OrderLineSnapshot& line) const {
  if (final_sale_skus.count(line.sku)) return absl::StrCat("SKU ", line.sku, " is final sale");
  if (!line.category.empty() && final_sale_categories.count(line.category)) {
    return absl::StrCat("SKU ", line.sku, " is final sale (category ", line.category, ")");
  }
  return "";
}

absl::Status CheckReturnQuantities(
    const std::vector<OrderLineSnapshot>& order_lines, const LineReturnRules& rules,
    const google::protobuf::RepeatedPtrField<v1::ReturnLine>& lines) {
  std::map<std::string, const OrderLineSnapshot*> by_id;
  for (const auto& line : order_lines) by_id[line.line_id] = &line;
  for (int i = 0; i < lines.size(); ++i) {
    const v1::ReturnLine& wanted = lines[i];
    auto it = by_id.find(wanted.order_line_id());
    if (it == by_id.end()) {
      return InvalidField(absl::StrCat("lines[", i, "].order_line_id"),
                          absl::StrCat("the order has no line \"", wanted.order_line_id(), "\""));
    }
    const OrderLineSnapshot& line = *it->second;
    if (const std::string why = rules.FinalSale(line); !why.empty()) {
      return PreconditionError(reason::kFinalSale, absl::StrCat("lines[", i, "]: ", why),
                               {{"field", absl::StrCat("lines[", i, "].order_line_id")}});
    }
    int32_t returnable = line.quantity - line.returned_quantity - line.claimed_quantity;
    if (wanted.quantity() > returnable) {
      return PreconditionError(
          reason::kReturnQuantityExceeded,
          absl::StrCat("lines[", i, "].quantity: ", wanted.quantity(), " requested but only ",
                       returnable, " of ", line.quantity, " bought can still be returned",
                       line.claimed_quantity > 0
                           ? absl::StrCat(" (", line.claimed_quantity, " of them in claims)")
                           : std::string()),
          {{"field", absl::StrCat("lines[", i, "].quantity")},
           {"returnable_quantity", absl::StrCat(returnable)}});
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOrderLineChanges(const std::vector<OrderLineSnapshot>& existing,
                                   const v1::Order& updated) {
  std::map<std::string, int> new_index;
  for (int i = 0; i < updated.lines_size(); ++i) new_index[updated.lines(i).line_id()] = i;
  for (const auto& line : existing) {
    auto it = new_index.find(line.line_id);
    if (it == new_index.end()) {
      if (line.referenced) {
        return PreconditionError(
            reason::kOrderLineInUse,
            absl::StrCat("order line \"", line.line_id,
                         "\" is referenced by a return, claim or parcel and cannot be removed"),
            {{"field", "order.lines"}});
      }
      continue;
    }
    const v1::OrderLine& next = updated.lines(it->second);
    if (next.quantity() < line.returned_quantity + line.claimed_quantity) {
      return PreconditionError(
          reason::kOrderLineInUse,
          absl::StrCat("order.lines[", it->second,
                       "].quantity: ", line.returned_quantity + line.claimed_quantity,
                       " units are in returns or claims, so the quantity cannot go below that"),
          {{"field", absl::StrCat("order.lines[", it->second, "].quantity")}});
    }
    if (line.referenced && next.sku() != line.sku) {
      return PreconditionError(reason::kOrderLineInUse,
                               absl::StrCat("order.lines[", it->second,
                                            "].sku: the line is referenced by a return, claim or "
                                            "parcel, so its SKU cannot change"),
                               {{"field", absl::StrCat("order.lines[", it->second, "].sku")}});
    }
  }
  return absl::OkStatus();
}

}  // namespace returns
