#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/common/app_context.h"
#include "app/logistics/orchestration_policy.h"
#include "domain/bonus_credit.h"
#include "domain/paid_money.h"
#include "domain/resolution.h"
#include "domain/return_rules.h"
#include "domain/settlement_plan.h"
#include "returns/v1/return_service.pb.h"
#include "storage/order_store.h"
#include "storage/transaction.h"

// Everything a return's creation decides before it writes anything: the window, the quantities
// and final-sale rules, the prices, the exchange quotes and the settlement plan. CreateReturn
// and PreviewReturn both run it, so a preview is what the return becomes (PRODUCT.md 4.6a).
namespace returns::app {

// What each line promises, stored with the return: the order line's unit price and, for an
// exchange, the quote (domain QuoteExchange, the same code an exchange token uses).
struct LineTerms {
  int64_t unit_price_minor = 0;
  int64_t replacement_unit_minor = 0;
  int64_t upsell_minor = 0;
  int64_t downsell_minor = 0;
  int64_t restocking_fee_minor = 0;  // LineRestockingFee: what a resolution keeps of the line
  // What the customer paid for the returned units and the tax in it (ShareOfUnits).
  int64_t paid_minor = 0;
  int64_t tax_minor = 0;
  int64_t bonus_minor = 0;  // the line's bonus credit (domain/bonus_credit.h), after the cap
};

struct ReturnQuote {
  std::string currency;
  OrchestrationPolicy policy;  // read once, with its version
  int64_t policy_version = 0;
  std::vector<LineTerms> terms;  // in the request's order
  int64_t upsell = 0;
  int64_t downsell = 0;
  v1::SettlementPlan plan;
  int64_t shipping_refund = 0;  // the order's shipping the plan refunds (once per order)
  BonusRule bonus_rule;         // the policy's bonus credit rule the plan applied
};

// The policy's reasons that refund shipping (orders/get_return_window.sql).
std::vector<v1::ReturnReason> ShippingRefundReasonsOf(const storage::ReturnWindow& window);

// A gift's recipient proves they hold it (GiftReturn): the order's shipping postal code (case
// and spaces ignored) or its gift code. NOT_FOUND for the order otherwise, as for an unknown one.
absl::Status CheckGiftProof(const storage::ReturnWindow& window, const std::string& order_id,
                            const v1::GiftReturn& gift);

// The policy's per-line rules and fee schedule, as orders/get_return_window.sql reads them.
LineReturnRules ReturnRulesOf(const storage::ReturnWindow& window);
// The policy's restocking fees (store credit's waived when the bonus rule says so).
FeeSchedule FeeScheduleOf(const storage::ReturnWindow& window);
BonusRule BonusRuleOf(const storage::ReturnWindow& window);

// With `lock_lines`, the order's lines are locked (CreateReturn); a preview only reads them.
absl::StatusOr<ReturnQuote> QuoteReturn(storage::Tx& tx, const CallContext& call,
                                        const v1::CreateReturnRequest& request,
                                        bool outside_window_allowed, bool lock_lines);

}  // namespace returns::app
