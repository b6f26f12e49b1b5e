#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/orchestration_policy.h"
#include "app/logistics/return_labels.h"
#include "app/logistics/shipment_events.h"
#include "app/logistics/logistics_use_cases.h"
#include "integrations/integrations.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "common/enum_text.h"
#include "storage/shipment_store.h"

namespace returns::app {

absl::Status CreateReturnLabel(const AppContext& app, CallContext& call,
                               const v1::CreateReturnLabelRequest& request,
                               v1::Shipment* response) {
  const std::string carrier_code = request.carrier();
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    auto locked = LockReturn(tx, call.merchant_id, request.return_id());
    if (!locked.ok()) return locked.status();
    if (locked->state != v1::RETURN_STATE_APPROVED &&
        locked->state != v1::RETURN_STATE_LABEL_ISSUED) {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("return is ", EnumText(locked->state),
                       "; a label is made for an APPROVED return (approve it first)"),
          {{"state", EnumText(locked->state)}});
    }
    // One live label per return: asking again answers the one there is.
    const std::optional<std::string> live = storage::ShipmentStore(tx).LiveInboundShipmentOfReturn(
        call.merchant_id, request.return_id());
    if (live) {
      *response = LoadShipment(tx, call.merchant_id, *live);
      return absl::OkStatus();
    }
    std::string carrier = carrier_code;
    if (carrier.empty()) carrier = LoadOrchestrationPolicy(tx, call.merchant_id).default_carrier;
    if (app.integrations == nullptr || app.integrations->Carrier(carrier) == nullptr) {
      return InvalidField("carrier",
                          absl::StrCat("\"", carrier, "\" is not a carrier of this server"));
    }
    if (absl::Status account = CheckCarrierAccount(tx, app, call.merchant_id, carrier);
        !account.ok()) {
      return account;
    }
    const std::string shipment_id =
        RequestReturnLabel(tx, call, locked->order_id, request.return_id(), carrier);
    *response = LoadShipment(tx, call.merchant_id, shipment_id);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
