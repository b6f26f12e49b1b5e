#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_decision.h"
#include "app/returns/resolve_received_return.h"
#include "app/admin/decision_effects.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "storage/return_store.h"

namespace returns::app {

absl::Status ResolveReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                               const v1::ResolveReturnRequest& request, v1::Return* response) {
  auto locked = LockReturn(tx, call.merchant_id, request.return_id());
  if (!locked.ok()) return locked.status();
  if (absl::Status s = RequireReturnState(*locked, v1::RETURN_STATE_RECEIVED, "resolved");
      !s.ok()) {
    return s;
  }
  // Tokens, then stock rows, before any change-feed write (the one lock order).
  LockReturnExchanges(tx, call.merchant_id, request.return_id());
  std::set<std::string> lines;
  for (std::string& line_id :
       storage::ReturnStore(tx).ListReturnLineIds(call.merchant_id, request.return_id())) {
    lines.insert(std::move(line_id));
  }
  std::set<std::string> withheld;
  for (int i = 0; i < request.withheld_order_line_ids_size(); ++i) {
    const std::string& id = request.withheld_order_line_ids(i);
    if (!lines.count(id)) {
      return InvalidField(absl::StrCat("withheld_order_line_ids[", i, "]"),
                          "is not a line of the return");
    }
    withheld.insert(id);
  }
  nlohmann::json reasons = {request.note()};
  if (!withheld.empty()) reasons.push_back("withheld: " + absl::StrJoin(withheld, ", "));
  // The person's resolution overrides the receipt's escalation, and is a decision of its own.
  OverrideEscalatedDecision(tx, call, DecisionKind::kReturnResolution,
                            ReturnSubject(request.return_id()), "APPROVED", request.note());
  RecordDecision(tx, call,
                 DecisionRecord{DecisionKind::kReturnResolution,
                                ReturnSubject(request.return_id()),
                                {{"actor_key_id", call.principal.key_id}},
                                "manual",
                                0,
                                "APPROVED",
                                reasons});
  auto resolved = ResolveReceivedReturn(
      tx, call, locked->order_id, request.return_id(), withheld,
      absl::StrCat("by key ", call.principal.key_id, " (", withheld.size(), " line(s) withheld)"));
  if (!resolved.ok()) return resolved.status();
  *response = *resolved;
  return absl::OkStatus();
}

absl::Status ResolveReturn(const AppContext& app, CallContext& call,
                           const v1::ResolveReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return ResolveReturnInTx(app, tx, call, request, response);
  });
}

}  // namespace returns::app
