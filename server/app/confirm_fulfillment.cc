#include "absl/strings/str_cat.h"
#include "app/claims.h"
#include "app/idempotency.h"
#include "app/shipment_events.h"
#include "app/use_cases.h"
#include "domain/errors.h"

namespace returns::app {

absl::Status ConfirmFulfillment(const AppContext& app, CallContext& call,
                                const v1::ConfirmFulfillmentRequest& request, v1::Shipment* response) {
  return RunIdempotent(app, call, "ConfirmFulfillment", request, response, [&](storage::Tx& tx) {
    auto shipment = tx.Exec("shipments/lock_shipment", call.merchant_id, request.shipment_id());
    if (shipment.empty()) return NotFoundError("shipment", request.shipment_id());
    const std::string state = shipment[0][0].as<std::string>();
    if (shipment[0][1].as<std::string>() != "OUTBOUND") {
      return PreconditionError(reason::kInvalidState,
                               "only an outbound shipment (a replacement or reship) is fulfilled",
                               {{"direction", shipment[0][1].as<std::string>()}});
    }
    if (state != "REQUESTED") {
      return PreconditionError(reason::kInvalidState,
                               absl::StrCat("shipment is ", state,
                                            "; only a REQUESTED shipment can be confirmed"),
                               {{"state", state}});
    }
    auto taken = tx.Exec("shipments/find_shipment_by_tracking", call.merchant_id, request.carrier(),
                         request.tracking_number());
    if (!taken.empty()) {
      return ErrorWithReason(absl::StatusCode::kAlreadyExists, reason::kTrackingNumberInUse,
                             "another shipment has this carrier and tracking number",
                             {{"shipment_id", taken[0][0].as<std::string>()}});
    }
    tx.Exec("shipments/confirm_fulfilment", call.merchant_id, request.shipment_id(),
            request.carrier(), request.tracking_number());
    *response = RecordShipmentTransition(
        tx, call, request.shipment_id(), "shipment.shipped",
        absl::StrCat("The warehouse shipped the replacement with ", request.carrier(), ", tracking ",
                     request.tracking_number()));
    // A claim's reship: the claim is resolved once the warehouse shipped all of its parcels.
    const std::string claim_id = shipment[0][7].as<std::string>();
    if (shipment[0][6].as<std::string>() == "RESHIP" && !claim_id.empty()) {
      const std::string claim_state =
          tx.Exec("claims/lock_claim", call.merchant_id, claim_id)[0][0].as<std::string>();
      if (claim_state == "APPROVED" &&
          tx.Exec("claims/unshipped_reships", call.merchant_id, claim_id)[0][0].as<int>() == 0) {
        tx.Exec("claims/resolve_claim", call.merchant_id, claim_id, int64_t{0});
        RecordClaimTransition(tx, call, shipment[0][2].as<std::string>(), claim_id, "claim.resolved",
                              absl::StrCat("Claim resolved: the reship left the warehouse with ",
                                           request.carrier(), ", tracking ", request.tracking_number()));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
