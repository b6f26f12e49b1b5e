#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/orders/lock_order_lines.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/enqueue_job.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/admin/decision_effects.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "storage/return_store.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status RejectReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::RejectReturnRequest& request, v1::Return* response) {
  auto locked = LockReturn(tx, call.merchant_id, request.return_id(), request.etag());
  if (!locked.ok()) return locked.status();
  if (absl::Status s = RequireReturnState(*locked, v1::RETURN_STATE_REQUESTED, "rejected");
      !s.ok()) {
    return s;
  }
  LockOrderLines(tx, call.merchant_id, locked->order_id);  // same lock order as CreateReturn
  // An unredeemed exchange token goes with the return; a redeemed one blocks it.
  if (absl::Status s = RevokeTokensWithReturn(tx, call, request.return_id(), locked->order_id,
                                              "Exchange token revoked with its rejected "
                                              "return; reservation released");
      !s.ok()) {
    return s;
  }
  storage::ReturnStore(tx).RejectReturn(call.merchant_id, request.return_id(), request.reason());
  OverrideEscalatedDecision(tx, call, DecisionKind::kReturnApproval,
                            ReturnSubject(request.return_id()), "DENIED", request.reason());
  *response = LoadReturn(tx, call.merchant_id, request.return_id());
  RecordTransition(
      tx, call,
      Transition{
          locked->order_id, "return", request.return_id(), event_type::kReturnRejected, "REJECTED",
          absl::StrCat("Return rejected by key ", call.principal.key_id, ": ", request.reason()),
          response});
  EnqueueNotification(tx, call.merchant_id, locked->order_id, "return_rejected",
                      request.return_id());
  return absl::OkStatus();
}

absl::Status RejectReturn(const AppContext& app, CallContext& call,
                          const v1::RejectReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return RejectReturnInTx(app, tx, call, request, response);
  });
}

}  // namespace returns::app
