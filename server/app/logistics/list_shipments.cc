#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/errors.h"
#include "storage/shipment_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListShipments(const AppContext& app, const CallContext& call,
                           const v1::ListShipmentsRequest& request,
                           v1::ListShipmentsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string scope = absl::StrCat(call.merchant_id, "|ListShipments|", request.order_id(),
                                         "|", request.return_id());
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListShipments", call.deadline, [&](storage::Tx& tx) {
    const std::vector<storage::ListedShipment> shipments = storage::ShipmentStore(tx).ListShipments(
        call.merchant_id, request.order_id(), request.return_id(), position->time_us, position->id,
        *page_size + 1);
    const int shown = std::min<int>(shipments.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_shipments() = shipments[i].resource;
    if (static_cast<int>(shipments.size()) > *page_size) {
      const storage::ListedShipment& last = shipments[shown - 1];
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope,
                          {absl::StrCat(last.create_time_us), last.resource.shipment_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
