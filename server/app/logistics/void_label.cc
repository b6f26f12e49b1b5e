#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/common/record_transition.h"
#include "app/logistics/return_labels.h"
#include "app/logistics/shipment_events.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "domain/event_types.h"
#include "storage/return_store.h"
#include "storage/shipment_store.h"

namespace returns::app {

absl::Status VoidLabel(const AppContext& app, CallContext& call,
                       const v1::VoidLabelRequest& request, v1::Shipment* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    // Lock order everywhere: the return, then its shipments. The shipment names its return, so
    // it is read once without a lock, then locked after the return and checked under the lock.
    storage::ShipmentStore shipments(tx);
    const std::optional<v1::Shipment> found =
        shipments.GetShipment(call.merchant_id, request.shipment_id());
    if (!found) return NotFoundError("shipment", request.shipment_id());
    const std::string return_id = found->return_id();
    if (return_id.empty() || found->direction() != v1::SHIPMENT_DIRECTION_INBOUND) {
      return PreconditionError(reason::kInvalidState,
                               "only a return label (an INBOUND shipment) can be voided",
                               {{"direction", EnumText(found->direction())}});
    }
    auto locked = LockReturn(tx, call.merchant_id, return_id);
    if (!locked.ok()) return locked.status();
    // Read above in this transaction: it is there.
    const storage::LockedShipment shipment =
        shipments.LockShipment(call.merchant_id, request.shipment_id()).value();
    const std::string state = shipment.state;
    const std::string order_id = shipment.order_id;
    if (state != "REQUESTED" && state != "LABEL_CREATED") {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("shipment is ", state,
                       "; only an unused label (REQUESTED or LABEL_CREATED) can be voided"),
          {{"state", state}});
    }
    VoidLabelOf(tx, call, order_id, request.shipment_id(), shipment.tracking_number);
    if (locked->state == v1::RETURN_STATE_LABEL_ISSUED) {
      storage::ReturnStore(tx).SetReturnState(call.merchant_id, return_id, "APPROVED");
      v1::Return ret = LoadReturn(tx, call.merchant_id, return_id);
      RecordTransition(
          tx, call,
          Transition{order_id, "return", return_id, event_type::kReturnLabelVoided, "APPROVED",
                     "Return label voided: the return waits for a new label", &ret});
    }
    *response = LoadShipment(tx, call.merchant_id, request.shipment_id());
    return absl::OkStatus();
  });
}

}  // namespace returns::app
