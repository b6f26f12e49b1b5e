#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/lock_order_lines.h"
#include "app/lock_return.h"
#include "app/move_exchange_token.h"
#include "app/record_transition.h"
#include "app/return_labels.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status CancelReturn(const AppContext& app, CallContext& call,
                          const v1::CancelReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, "CancelReturn", request, response, [&](storage::Tx& tx) {
    auto locked = LockReturn(tx, call.merchant_id, request.return_id(), request.etag());
    if (!locked.ok()) return locked.status();
    const std::string order_id = locked->order_id;
    if (absl::Status s = CheckReturnTransition(locked->state, v1::RETURN_STATE_CANCELLED); !s.ok()) {
      return s;
    }
    LockOrderLines(tx, call.merchant_id, order_id);  // same lock order as CreateReturn
    // An unredeemed exchange token goes with the return; a redeemed one blocks it.
    if (absl::Status s = RevokeTokensWithReturn(tx, call, request.return_id(), order_id,
                                                "Exchange token revoked with its return; "
                                                "reservation released");
        !s.ok()) {
      return s;
    }
    tx.Exec("returns/cancel_return", call.merchant_id, request.return_id(), request.reason());
    VoidUnusedLabels(tx, call, order_id, request.return_id());
    *response = storage::ReturnFromRow(
        tx.Exec("returns/get_return", call.merchant_id, request.return_id())[0]);
    RecordTransition(tx, call,
                     Transition{order_id, "return", request.return_id(), "return.cancelled",
                                "CANCELLED",
                                request.reason().empty()
                                    ? std::string("Return cancelled")
                                    : absl::StrCat("Return cancelled: ", request.reason()),
                                response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
