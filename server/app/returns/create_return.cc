#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/returns/auto_approve_return.h"
#include "app/returns/bonus_decision.h"
#include "app/returns/quote_return.h"
#include "app/returns/return_risk.h"
#include "app/admin/decision_effects.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/orders/lock_order_lines.h"
#include "app/common/record_transition.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_rules.h"
#include "domain/return_state_machine.h"
#include "common/proto_json.h"
#include "google/protobuf/util/time_util.h"
#include "storage/decision_store.h"
#include "storage/return_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"
#include "google/protobuf/util/json_util.h"
#include "domain/event_types.h"
#include "domain/decision_kind.h"

namespace returns::app {
namespace {

std::string LinesJson(const v1::CreateReturnRequest& request, const std::vector<LineTerms>& terms) {
  nlohmann::json lines = nlohmann::json::array();
  for (int i = 0; i < request.lines_size(); ++i) {
    const v1::ReturnLine& l = request.lines(i);
    // Enum names without their prefix: RETURN_REASON_TOO_SMALL -> TOO_SMALL.
    lines.push_back({{"position", i},
                     {"order_line_id", l.order_line_id()},
                     {"quantity", l.quantity()},
                     {"reason", EnumText(l.reason())},
                     {"reason_note", l.reason_note()},
                     {"resolution", EnumText(l.resolution())},
                     {"replacement_sku", l.replacement_sku()},
                     {"unit_price_minor", terms[i].unit_price_minor},
                     {"replacement_unit_minor", terms[i].replacement_unit_minor},
                     {"upsell_minor", terms[i].upsell_minor},
                     {"downsell_minor", terms[i].downsell_minor},
                     {"plan_restocking_fee_minor", terms[i].restocking_fee_minor},
                     {"paid_minor", terms[i].paid_minor},
                     {"tax_minor", terms[i].tax_minor},
                     {"bonus_credit_minor", terms[i].bonus_minor}});
  }
  return lines.dump();
}

// The plan as quoted, stored whole (returns.plan) so Return.plan answers it unchanged.
std::string PlanJson(const v1::SettlementPlan& plan) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(plan, &json);
  return json;
}

// A gift return's recipient, stored apart from the buyer's contact (returns.gift_recipient).
std::optional<std::string> GiftRecipientJson(const v1::CreateReturnRequest& request) {
  if (!request.has_gift()) return std::nullopt;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(request.gift().recipient(), &json);
  return json;
}

// Records (once per request_id, in a transaction of its own: the refused call changed nothing) a
// return_eligibility decision ESCALATED with the request, and names it in the refusal.
absl::Status EscalateLateReturn(const AppContext& app, const CallContext& call,
                                const v1::CreateReturnRequest& request, absl::Status refusal) {
  auto request_json = ProtoToJson(request);
  if (!request_json.ok()) return refusal;
  const std::string subject = absl::StrCat("orders/", request.order_id());
  const auto metadata = MetadataOf(refusal);
  const nlohmann::json inputs = {
      {"request_id", call.request_id},
      {"request", *request_json},
      {"window_days", metadata.count("window_days") ? metadata.at("window_days") : ""},
      {"window_close_time",
       metadata.count("window_close_time") ? metadata.at("window_close_time") : ""}};
  const nlohmann::json reasons = {
      absl::StrCat(refusal.message(), ": the return waits for a support agent (OverrideDecision)")};
  std::string decision_id;
  absl::Status recorded =
      storage::RunTransaction(*app.pool, "EscalateLateReturn", call.deadline, [&](storage::Tx& tx) {
        decision_id = storage::DecisionStore(tx).InsertDecisionOnce(
            call.merchant_id, std::string(DecisionKindText(DecisionKind::kReturnEligibility)),
            subject, inputs.dump(), "return-window/1", "ESCALATED", reasons.dump(),
            call.request_id);
        return absl::OkStatus();
      });
  if (!recorded.ok()) return refusal;
  absl::Status escalated = PreconditionError(
      reason::kReturnWindowClosed,
      absl::StrCat(refusal.message(), "; a support agent can still approve it (decision ",
                   decision_id, ")"),
      {{"window_days", inputs["window_days"].get<std::string>()},
       {"window_close_time", inputs["window_close_time"].get<std::string>()},
       {"decision_id", decision_id}});
  return escalated;
}

}  // namespace

absl::Status CreateReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::CreateReturnRequest& request, v1::Return* response,
                              bool outside_window_allowed) {
  {
    auto quote = QuoteReturn(tx, call, request, outside_window_allowed, /*lock_lines=*/true);
    if (!quote.ok()) return quote.status();
    const std::vector<LineTerms>& terms = quote->terms;
    const std::string return_id =
        storage::ReturnStore(tx)
            .InsertReturn(call.merchant_id, request.order_id(), LinesJson(request, terms),
                          quote->currency, quote->upsell, quote->downsell, quote->policy_version,
                          quote->policy.restocking_fee_minor,
                          quote->policy.return_shipping_fee_minor, PlanJson(quote->plan),
                          quote->shipping_refund, GiftRecipientJson(request))
            .return_id;
    RecordBonusDecision(tx, call, return_id, *quote);
    // Scored only when a policy threshold uses the score (docs/decisions.md).
    const std::optional<RiskScore> risk =
        quote->policy.risk_in_use
            ? std::optional<RiskScore>(ScoreAndKeepReturnRisk(tx, call, return_id))
            : std::nullopt;
    *response = LoadReturn(tx, call.merchant_id, return_id);
    int units = 0;
    for (const auto& line : request.lines()) units += line.quantity();
    RecordTransition(tx, call,
                     Transition{request.order_id(), "return", response->return_id(),
                                event_type::kReturnRequested, EnumText(response->state()),
                                absl::StrCat("Return requested for ", units, " unit(s) on ",
                                             request.lines_size(), " line(s)"),
                                response});
    if (AutoApproveReturn(app, tx, call, quote->policy, request.order_id(), response->return_id(),
                          risk)) {
      *response = LoadReturn(tx, call.merchant_id, response->return_id());
    }
    return absl::OkStatus();
  }
}

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response) {
  absl::Status status = RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return CreateReturnInTx(app, tx, call, request, response, /*outside_window_allowed=*/false);
  });
  if (ReasonOf(status) != reason::kReturnWindowClosed) return status;
  // Automation does not deny a refund on its own: the refusal is also an escalation a support
  // agent can override (OverrideDecision), which creates and approves this very return.
  return EscalateLateReturn(app, call, request, status);
}

}  // namespace returns::app
