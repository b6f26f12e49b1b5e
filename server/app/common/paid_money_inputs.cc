#include "app/common/paid_money_inputs.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/enum_text.h"

namespace returns::app {

LineRemainder RemainderOf(const OrderLineSnapshot& line) {
  return {line.quantity - line.returned_quantity - line.claimed_quantity,
          std::max<int64_t>(line.paid_minor - line.taken_paid_minor, 0),
          std::max<int64_t>(line.tax_minor - line.taken_tax_minor, 0)};
}

std::vector<v1::TenderKind> RefundTenderOrderOf(const std::string& kinds_json) {
  std::vector<v1::TenderKind> kinds;
  for (const auto& name : nlohmann::json::parse(kinds_json)) {
    if (auto kind = ParseEnum<v1::TenderKind>(name.get<std::string>())) kinds.push_back(*kind);
  }
  return kinds;
}

std::vector<TenderBalance> TenderBalancesOf(const std::vector<storage::OrderPaymentRow>& rows) {
  std::vector<TenderBalance> tenders;
  for (const storage::OrderPaymentRow& row : rows) {
    tenders.push_back({row.payment_id,
                       ParseEnum<v1::TenderKind>(row.kind).value_or(v1::TENDER_KIND_UNSPECIFIED),
                       row.reference, row.refundable_minor});
  }
  return tenders;
}

}  // namespace returns::app
