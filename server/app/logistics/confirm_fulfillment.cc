#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/common/idempotency.h"
#include "app/logistics/shipment_events.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/errors.h"
#include "storage/claim_store.h"
#include "storage/shipment_store.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status ConfirmFulfillment(const AppContext& app, CallContext& call,
                                const v1::ConfirmFulfillmentRequest& request,
                                v1::Shipment* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::ShipmentStore shipments(tx);
    const std::optional<storage::LockedShipment> shipment =
        shipments.LockShipment(call.merchant_id, request.shipment_id());
    if (!shipment) return NotFoundError("shipment", request.shipment_id());
    const std::string state = shipment->state;
    if (shipment->direction != "OUTBOUND") {
      return PreconditionError(reason::kInvalidState,
                               "only an outbound shipment (a replacement or reship) is fulfilled",
                               {{"direction", shipment->direction}});
    }
    if (state != "REQUESTED") {
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("shipment is ", state, "; only a REQUESTED shipment can be confirmed"),
          {{"state", state}});
    }
    const std::optional<storage::TrackedShipment> taken = shipments.FindShipmentByTracking(
        call.merchant_id, request.carrier(), request.tracking_number());
    if (taken) {
      return ErrorWithReason(absl::StatusCode::kAlreadyExists, reason::kTrackingNumberInUse,
                             "another shipment has this carrier and tracking number",
                             {{"shipment_id", taken->shipment_id}});
    }
    shipments.ConfirmFulfilment(call.merchant_id, request.shipment_id(), request.carrier(),
                                request.tracking_number());
    *response = RecordShipmentTransition(
        tx, call, request.shipment_id(), event_type::kShipmentShipped,
        absl::StrCat("The warehouse shipped the replacement with ", request.carrier(),
                     ", tracking ", request.tracking_number()));
    // A claim's reship: the claim is resolved once the warehouse shipped all of its parcels.
    const std::string claim_id = shipment->claim_id;
    if (shipment->purpose == "RESHIP" && !claim_id.empty()) {
      storage::ClaimStore claims(tx);
      const std::string claim_state = claims.LockClaim(call.merchant_id, claim_id).value().state;
      if (claim_state == "APPROVED" && claims.UnshippedReships(call.merchant_id, claim_id) == 0) {
        claims.ResolveClaim(call.merchant_id, claim_id, int64_t{0});
        RecordClaimTransition(
            tx, call, shipment->order_id, claim_id, event_type::kClaimResolved,
            absl::StrCat("Claim resolved: the reship left the warehouse with ", request.carrier(),
                         ", tracking ", request.tracking_number()));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
