#pragma once

#include <optional>

#include "absl/strings/string_view.h"

// What a Decision of the audit log decided (docs/claims.md, "Decisions"). The contract carries
// the kind as text (Decision.kind, ListDecisionsRequest.kind) and so does `decisions.kind`; code
// names it with this type and turns it into text only where it is written or compared.
namespace returns {

enum class DecisionKind {
  kReturnEligibility,     // CreateReturn refused outside the return window (an escalation)
  kReturnApproval,        // approving a new return (the policy, or a person after an escalation)
  kReturnResolution,      // paying out a received return with a line not in condition OK
  kInstantExchange,       // issuing an exchange token before the original is back
  kClaimAdjudication,     // a claim's outcome (the rules, or a person)
  kMoneyMovementFailure,  // a refund or credit the payment system could not make (a person)
  kBonusCredit,           // the bonus credit a return's plan adds (docs/policy.md, "Bonus credit")
};

inline constexpr DecisionKind kAllDecisionKinds[] = {
    DecisionKind::kReturnEligibility, DecisionKind::kReturnApproval,
    DecisionKind::kReturnResolution,  DecisionKind::kInstantExchange,
    DecisionKind::kClaimAdjudication, DecisionKind::kMoneyMovementFailure,
    DecisionKind::kBonusCredit,
};

// "return_approval" for kReturnApproval: the text of the wire and of the stored row.
constexpr absl::string_view DecisionKindText(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kReturnEligibility:
      return "return_eligibility";
    case DecisionKind::kReturnApproval:
      return "return_approval";
    case DecisionKind::kReturnResolution:
      return "return_resolution";
    case DecisionKind::kInstantExchange:
      return "instant_exchange";
    case DecisionKind::kClaimAdjudication:
      return "claim_adjudication";
    case DecisionKind::kMoneyMovementFailure:
      return "money_movement_failure";
    case DecisionKind::kBonusCredit:
      return "bonus_credit";
  }
  return "";
}

// The kind whose text is `text` (exactly); nullopt for any other text, such as a kind a newer
// release records.
inline std::optional<DecisionKind> ParseDecisionKind(absl::string_view text) {
  for (const DecisionKind kind : kAllDecisionKinds) {
    if (DecisionKindText(kind) == text) return kind;
  }
  return std::nullopt;
}

}  // namespace returns
