#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/lock_return.h"
#include "app/orchestration_policy.h"
#include "app/record_decision.h"
#include "app/record_transition.h"
#include "app/return_labels.h"
#include "app/decision_effects.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "integrations/integrations.h"

namespace returns::app {

absl::Status ApproveReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
    const v1::ApproveReturnRequest& request, v1::Return* response) {
  auto locked = LockReturn(tx, call.merchant_id, request.return_id(), request.etag());
  if (!locked.ok()) return locked.status();
  if (absl::Status s = RequireReturnState(*locked, v1::RETURN_STATE_REQUESTED, "approved"); !s.ok()) {
    return s;
  }
  const std::string carrier = LoadOrchestrationPolicy(tx, call.merchant_id).default_carrier;
  if (app.integrations == nullptr || app.integrations->Carrier(carrier) == nullptr) {
    return PreconditionError(reason::kUnknownCarrier,
                             absl::StrCat("the policy's default carrier \"", carrier,
                                          "\" has no adapter on this server"),
                             {{"carrier", carrier}});
  }
  tx.Exec("returns/set_return_state", call.merchant_id, request.return_id(), std::string("APPROVED"));
  OverrideEscalatedDecision(tx, call, "return_approval", ReturnSubject(request.return_id()),
                            "APPROVED", request.note());
  *response = LoadReturn(tx, call.merchant_id, request.return_id());
  RecordTransition(tx, call,
                   Transition{locked->order_id, "return", request.return_id(), "return.approved",
                              "APPROVED",
                              absl::StrCat("Return approved by key ", call.principal.key_id,
                                           request.note().empty() ? "" : ": ", request.note()),
                              response});
  RequestReturnLabel(tx, call, locked->order_id, request.return_id(), carrier);
  return absl::OkStatus();
}

absl::Status ApproveReturn(const AppContext& app, CallContext& call, const v1::ApproveReturnRequest& request,
    v1::Return* response) {
  return RunIdempotent(app, call, "ApproveReturn", request, response, [&](storage::Tx& tx) {
    return ApproveReturnInTx(app, tx, call, request, response);
  });
}

}  // namespace returns::app
