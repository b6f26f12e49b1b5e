#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/logistics_service.pb.h"

// LogisticsService: labels, shipments and carrier events.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status CreateReturnLabel(const AppContext& app, CallContext& call,
                               const v1::CreateReturnLabelRequest& request, v1::Shipment* response);

absl::Status VoidLabel(const AppContext& app, CallContext& call,
                       const v1::VoidLabelRequest& request, v1::Shipment* response);

absl::Status ConfirmFulfillment(const AppContext& app, CallContext& call,
                                const v1::ConfirmFulfillmentRequest& request,
                                v1::Shipment* response);

absl::Status RecordCarrierEvents(const AppContext& app, CallContext& call,
                                 const v1::RecordCarrierEventsRequest& request,
                                 v1::RecordCarrierEventsResponse* response);

absl::Status GetShipment(const AppContext& app, const CallContext& call,
                         const v1::GetShipmentRequest& request, v1::Shipment* response);

absl::Status ListShipments(const AppContext& app, const CallContext& call,
                           const v1::ListShipmentsRequest& request,
                           v1::ListShipmentsResponse* response);

// Carrier accounts (docs/integrations.md, "Carrier accounts").
absl::Status SetCarrierAccount(const AppContext& app, CallContext& call,
                               const v1::SetCarrierAccountRequest& request,
                               v1::CarrierAccount* response);
absl::Status ListCarrierAccounts(const AppContext& app, CallContext& call,
                                 const v1::ListCarrierAccountsRequest& request,
                                 v1::ListCarrierAccountsResponse* response);
absl::Status DeleteCarrierAccount(const AppContext& app, CallContext& call,
                                  const v1::DeleteCarrierAccountRequest& request,
                                  v1::CarrierAccount* response);

}  // namespace returns::app
