#include "app/returns/bonus_decision.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/returns/lock_return.h"
#include "common/enum_text.h"
#include "domain/decision_kind.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/return_store.h"

namespace returns::app {

inline constexpr char kBonusRuleVersion[] = "bonus-credit/1";

void RecordBonusDecision(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                         const ReturnQuote& quote) {
  const v1::SettlementPlan& plan = quote.plan;
  if (plan.bonus_credit_total().amount_minor() <= 0) return;
  const BonusRule& rule = quote.bonus_rule;
  nlohmann::json reasons = nlohmann::json::array();
  nlohmann::json lines = nlohmann::json::array();
  for (const v1::SettlementPlan::Line& line : plan.lines()) {
    const int64_t bonus = line.bonus_credit().amount_minor();
    lines.push_back({{"order_line_id", line.order_line_id()},
                     {"resolution", EnumText(line.resolution())},
                     {"quantity", line.quantity()},
                     {"bonus_minor", bonus}});
    if (bonus <= 0) continue;
    reasons.push_back(absl::StrCat(
        "line ", line.order_line_id(), ": ", bonus, " ", quote.currency, " minor units of bonus ",
        line.resolution() == v1::RESOLUTION_EXCHANGE ? "off the exchange's upsell"
                                                     : "in store credit",
        ", given at resolution if the line is received OK and not withheld"));
  }
  const nlohmann::json inputs = {
      {"policy_version", std::to_string(quote.policy_version)},
      {"store_credit_bonus_minor", std::to_string(rule.store_credit_fixed_minor)},
      {"store_credit_bonus_basis_points", std::to_string(rule.store_credit_basis_points)},
      {"exchange_bonus_minor", std::to_string(rule.exchange_fixed_minor)},
      {"exchange_bonus_basis_points", std::to_string(rule.exchange_basis_points)},
      {"bonus_cap_per_return_minor", std::to_string(rule.cap_per_return_minor)},
      {"bonus_waives_fees", rule.waives_fees ? "true" : "false"},
      {"bonus_excluded_categories",
       nlohmann::json(std::vector<std::string>(rule.excluded_categories.begin(),
                                               rule.excluded_categories.end()))
           .dump()},
      {"bonus_credit_total_minor", std::to_string(plan.bonus_credit_total().amount_minor())},
      {"currency_code", quote.currency},
      {"lines", lines.dump()}};
  RecordDecision(tx, call,
                 DecisionRecord{DecisionKind::kBonusCredit, ReturnSubject(return_id), inputs,
                                kBonusRuleVersion, 0, "APPROVED", reasons});
}

absl::Status WithdrawBonus(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                           const std::string& reason) {
  absl::StatusOr<LockedReturn> locked = LockReturn(tx, call.merchant_id, return_id);
  if (!locked.ok()) return locked.status();
  if (locked->state == v1::RETURN_STATE_RESOLVED || locked->state == v1::RETURN_STATE_REJECTED ||
      locked->state == v1::RETURN_STATE_CANCELLED) {
    const std::string state = EnumText(locked->state);
    return PreconditionError(
        reason::kInvalidState,
        absl::StrCat("return is ", state,
                     "; a bonus can be withdrawn only before the return resolves (a resolved "
                     "return's bonus was given with it)"),
        {{"state", state}});
  }
  // One bonus decision per return, overridden at most once: it cannot be withdrawn already.
  if (!storage::ReturnStore(tx).WithdrawBonus(call.merchant_id, return_id)) return absl::OkStatus();
  const v1::Return ret = LoadReturn(tx, call.merchant_id, return_id);
  RecordTransition(tx, call,
                   Transition{locked->order_id, "return", return_id,
                              event_type::kReturnBonusWithdrawn, EnumText(ret.state()),
                              absl::StrCat("Bonus credit withdrawn by a person: ", reason), &ret});
  return absl::OkStatus();
}

}  // namespace returns::app
