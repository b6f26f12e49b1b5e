#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/orders/lock_order_lines.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_transition.h"
#include "app/logistics/return_labels.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/return_store.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status CancelReturn(const AppContext& app, CallContext& call,
                          const v1::CancelReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    auto locked = LockReturn(tx, call.merchant_id, request.return_id(), request.etag());
    if (!locked.ok()) return locked.status();
    const std::string order_id = locked->order_id;
    if (absl::Status s = CheckReturnTransition(locked->state, v1::RETURN_STATE_CANCELLED);
        !s.ok()) {
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
    storage::ReturnStore(tx).CancelReturn(call.merchant_id, request.return_id(), request.reason());
    VoidUnusedLabels(tx, call, order_id, request.return_id());
    *response = LoadReturn(tx, call.merchant_id, request.return_id());
    RecordTransition(
        tx, call,
        Transition{order_id, "return", request.return_id(), event_type::kReturnCancelled,
                   "CANCELLED",
                   request.reason().empty() ? std::string("Return cancelled")
                                            : absl::StrCat("Return cancelled: ", request.reason()),
                   response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
