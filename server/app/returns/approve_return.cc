#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/logistics/orchestration_policy.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/return_labels.h"
#include "app/admin/decision_effects.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "integrations/integrations.h"
#include "storage/return_store.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status ApproveReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                               const v1::ApproveReturnRequest& request, v1::Return* response) {
  auto locked = LockReturn(tx, call.merchant_id, request.return_id(), request.etag());
  if (!locked.ok()) return locked.status();
  if (absl::Status s = RequireReturnState(*locked, v1::RETURN_STATE_REQUESTED, "approved");
      !s.ok()) {
    return s;
  }
  const std::string carrier = LoadOrchestrationPolicy(tx, call.merchant_id).default_carrier;
  if (app.integrations == nullptr || app.integrations->Carrier(carrier) == nullptr) {
    return PreconditionError(reason::kUnknownCarrier,
                             absl::StrCat("the policy's default carrier \"", carrier,
                                          "\" has no adapter on this server"),
                             {{"carrier", carrier}});
  }
  if (absl::Status account = CheckCarrierAccount(tx, app, call.merchant_id, carrier);
      !account.ok()) {
    return account;
  }
  storage::ReturnStore(tx).SetReturnState(call.merchant_id, request.return_id(), "APPROVED");
  OverrideEscalatedDecision(tx, call, DecisionKind::kReturnApproval,
                            ReturnSubject(request.return_id()), "APPROVED", request.note());
  *response = LoadReturn(tx, call.merchant_id, request.return_id());
  RecordTransition(tx, call,
                   Transition{locked->order_id, "return", request.return_id(),
                              event_type::kReturnApproved, "APPROVED",
                              absl::StrCat("Return approved by key ", call.principal.key_id,
                                           request.note().empty() ? "" : ": ", request.note()),
                              response});
  RequestReturnLabel(tx, call, locked->order_id, request.return_id(), carrier);
  return absl::OkStatus();
}

absl::Status ApproveReturn(const AppContext& app, CallContext& call,
                           const v1::ApproveReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return ApproveReturnInTx(app, tx, call, request, response);
  });
}

}  // namespace returns::app
