#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/string_view.h"
#include "app/common/app_context.h"
#include "domain/decision_kind.h"
#include "storage/transaction.h"

// The audit log of decisions (PRODUCT.md 4.7): every automated decision, and a person's override
// of an escalated one. Subjects are resource names, "returns/<id>", "claims/<id>" or
// "exchange_tokens/<id>",
// the names ListDecisions filters by.
namespace returns::app {

std::string ReturnSubject(absl::string_view return_id);
std::string ExchangeTokenSubject(absl::string_view token_id);
std::string ClaimSubject(absl::string_view claim_id);

struct DecisionRecord {
  DecisionKind kind = DecisionKind::kReturnApproval;
  std::string subject;  // a resource name (above)
  nlohmann::json inputs = nlohmann::json::object();
  std::string rule_version;
  int score_milli = 0;
  std::string outcome;  // "APPROVED", "ESCALATED" or "DENIED"
  nlohmann::json reasons = nlohmann::json::array();
};

void RecordDecision(storage::Tx& tx, const CallContext& call, const DecisionRecord& decision);

// Records the caller's `outcome` ("APPROVED" or "DENIED") and `note` as the override of every
// escalated `kind` decision about `subject` not yet overridden; nothing when there is none
// (the person acted on a resource no automation escalated).
// Returns whether there was one.
bool OverrideEscalatedDecision(storage::Tx& tx, const CallContext& call, DecisionKind kind,
                               const std::string& subject, absl::string_view outcome,
                               absl::string_view note);

// "api_keys/<key id>": who a person's decision names.
std::string ActorName(const CallContext& call);

}  // namespace returns::app
