#include "app/common/record_decision.h"

#include "absl/strings/str_cat.h"
#include "storage/decision_store.h"

namespace returns::app {

std::string ReturnSubject(absl::string_view return_id) {
  return absl::StrCat("returns/", return_id);
}

std::string ExchangeTokenSubject(absl::string_view token_id) {
  return absl::StrCat("exchange_tokens/", token_id);
}

std::string ClaimSubject(absl::string_view claim_id) { return absl::StrCat("claims/", claim_id); }

std::string ActorName(const CallContext& call) {
  return absl::StrCat("api_keys/", call.principal.key_id);
}

void RecordDecision(storage::Tx& tx, const CallContext& call, const DecisionRecord& decision) {
  storage::DecisionStore(tx).InsertDecision(
      call.merchant_id, std::string(DecisionKindText(decision.kind)), decision.subject,
      decision.inputs.dump(), decision.rule_version, decision.score_milli, decision.outcome,
      decision.reasons.dump());
}

bool OverrideEscalatedDecision(storage::Tx& tx, const CallContext& call, DecisionKind kind,
                               const std::string& subject, absl::string_view outcome,
                               absl::string_view note) {
  return !storage::DecisionStore(tx)
              .OverrideDecision(call.merchant_id, std::string(DecisionKindText(kind)), subject,
                                std::string(outcome), ActorName(call), std::string(note))
              .empty();
}

}  // namespace returns::app
