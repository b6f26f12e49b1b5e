#include "app/returns/auto_approve_return.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/returns/lock_return.h"
#include "app/logistics/orchestration_policy.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/returns/return_risk.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/return_labels.h"
#include "integrations/integrations.h"
#include "storage/return_store.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {
constexpr char kRuleVersion[] = "return-approval/1";
}  // namespace

bool AutoApproveReturn(const AppContext& app, storage::Tx& tx, const CallContext& call,
                       const OrchestrationPolicy& policy, const std::string& order_id,
                       const std::string& return_id, const std::optional<RiskScore>& risk) {
  if (policy.auto_approve_max_minor == 0) return false;
  storage::ReturnStore return_store(tx);
  const int64_t value = return_store.ReturnValue(call.merchant_id, return_id);
  // A carrier the merchant has no account at cannot make the label: a person decides.
  const bool carrier_known =
      app.integrations != nullptr && app.integrations->Carrier(policy.default_carrier) != nullptr &&
      CheckCarrierAccount(tx, app, call.merchant_id, policy.default_carrier).ok();
  const bool risky = risk && risk->score_milli > policy.risk_review_threshold_milli;
  const bool approve = value <= policy.auto_approve_max_minor && carrier_known && !risky;
  const std::string reason =
      !carrier_known ? absl::StrCat("the default carrier \"", policy.default_carrier,
                                    "\" has no adapter or no account of the merchant's: an "
                                    "agent decides")
      : value > policy.auto_approve_max_minor
          ? absl::StrCat("return value ", value, " is above the auto-approval limit ",
                         policy.auto_approve_max_minor, ": an agent decides")
      : risky
          ? absl::StrCat("risk score ", risk->score_milli, "/1000 is above the review threshold ",
                         policy.risk_review_threshold_milli, " (",
                         risk->factors.front().explanation, "): an agent decides")
          : absl::StrCat(
                "return value ", value, " is within the auto-approval limit ",
                policy.auto_approve_max_minor,
                risk ? absl::StrCat("; risk score ", risk->score_milli, "/1000") : std::string());
  nlohmann::json inputs = {
      {"return_value_minor", std::to_string(value)},
      {"auto_approve_max_minor", std::to_string(policy.auto_approve_max_minor)},
      {"risk_review_threshold_milli", policy.risk_review_threshold_milli}};
  if (risk) inputs["risk"] = RiskJson(*risk);
  RecordDecision(
      tx, call,
      DecisionRecord{DecisionKind::kReturnApproval, ReturnSubject(return_id), inputs,
                     std::string(kRuleVersion), risk ? risk->score_milli : 0,
                     approve ? "APPROVED" : "ESCALATED", nlohmann::json::array({reason})});
  if (!approve) return false;
  return_store.SetReturnState(call.merchant_id, return_id, "APPROVED");
  v1::Return approved = LoadReturn(tx, call.merchant_id, return_id);
  RecordTransition(
      tx, call,
      Transition{order_id, "return", return_id, event_type::kReturnApproved, "APPROVED",
                 absl::StrCat("Return approved automatically: ", reason), &approved});
  RequestReturnLabel(tx, call, order_id, return_id, policy.default_carrier);
  return true;
}

}  // namespace returns::app
