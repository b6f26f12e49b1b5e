#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/lock_return.h"
#include "app/record_transition.h"
#include "app/return_labels.h"
#include "app/shipment_events.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"

namespace returns::app {

absl::Status VoidLabel(const AppContext& app, CallContext& call, const v1::VoidLabelRequest& request,
                       v1::Shipment* response) {
  return RunIdempotent(app, call, "VoidLabel", request, response, [&](storage::Tx& tx) {
    // Lock order everywhere: the return, then its shipments. The shipment names its return, so
    // it is read once without a lock, then locked after the return and checked under the lock.
    auto found = tx.Exec("shipments/get_shipment", call.merchant_id, request.shipment_id());
    if (found.empty()) return NotFoundError("shipment", request.shipment_id());
    const std::string return_id = found[0][2].as<std::string>();
    if (return_id.empty() || found[0][3].as<std::string>() != "INBOUND") {
      return PreconditionError(reason::kInvalidState,
                               "only a return label (an INBOUND shipment) can be voided",
                               {{"direction", found[0][3].as<std::string>()}});
    }
    auto locked = LockReturn(tx, call.merchant_id, return_id);
    if (!locked.ok()) return locked.status();
    auto shipment = tx.Exec("shipments/lock_shipment", call.merchant_id, request.shipment_id());
    const std::string state = shipment[0][0].as<std::string>();
    const std::string order_id = shipment[0][2].as<std::string>();
    if (state != "REQUESTED" && state != "LABEL_CREATED") {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("shipment is ", state,
                       "; only an unused label (REQUESTED or LABEL_CREATED) can be voided"),
          {{"state", state}});
    }
    VoidLabelOf(tx, call, order_id, request.shipment_id(), shipment[0][5].as<std::string>());
    if (locked->state == v1::RETURN_STATE_LABEL_ISSUED) {
      tx.Exec("returns/set_return_state", call.merchant_id, return_id, std::string("APPROVED"));
      v1::Return ret = LoadReturn(tx, call.merchant_id, return_id);
      RecordTransition(tx, call,
                       Transition{order_id, "return", return_id, "return.label_voided", "APPROVED",
                                  "Return label voided: the return waits for a new label", &ret});
    }
    *response = LoadShipment(tx, call.merchant_id, request.shipment_id());
    return absl::OkStatus();
  });
}

}  // namespace returns::app
