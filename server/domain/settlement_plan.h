#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/resolution.h"
#include "returns/v1/return.pb.h"

// The settlement plan of a return (PRODUCT.md 4.6a): what PlanResolution pays when every line is
// received in good condition, with each line's fee and the exchange quotes, as PreviewReturn and
// Return.plan show it. One function for both, so a preview and the return it becomes agree.
namespace returns {

struct PlanLineInput {
  std::string order_line_id;
  int32_t quantity = 0;
  v1::Resolution resolution = v1::RESOLUTION_UNSPECIFIED;
  int64_t unit_price_minor = 0;
  int64_t upsell_minor = 0;    // exchange lines
  int64_t downsell_minor = 0;  // exchange lines
  // LineRestockingFee of the line; unset for returns planned before per-line fees (a REFUND line
  // then pays the return-level fee).
  std::optional<int64_t> restocking_fee_minor;
  // What the customer paid for these units and the tax in it (docs/money.md); unset for returns
  // created before money as paid (paid is then price x quantity, tax 0).
  std::optional<int64_t> paid_minor;
  int64_t tax_minor = 0;
  // The line's bonus credit (domain/bonus_credit.h, after the return's cap): added to a
  // STORE_CREDIT line's credit, taken off an EXCHANGE line's upsell (at most the upsell).
  int64_t bonus_minor = 0;
};

// OUT_OF_RANGE when an amount would overflow.
absl::StatusOr<v1::SettlementPlan> BuildSettlementPlan(const std::vector<PlanLineInput>& lines,
                                                       const ResolutionFees& fees,
                                                       const std::string& currency,
                                                       int64_t policy_version,
                                                       int64_t shipping_refund_minor = 0);

}  // namespace returns
