#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetShipment(const AppContext& app, const CallContext& call,
                         const v1::GetShipmentRequest& request, v1::Shipment* response) {
  return storage::RunTransaction(*app.pool, "GetShipment", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("shipments/get_shipment", call.merchant_id, request.shipment_id());
    if (rows.empty()) return NotFoundError("shipment", request.shipment_id());
    *response = storage::ShipmentFromRow(rows[0]);
    return absl::OkStatus();
  });
}

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
    auto rows = tx.Exec("shipments/list_shipments", call.merchant_id, request.order_id(),
                        request.return_id(), position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_shipments() = storage::ShipmentFromRow(rows[i]);
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[7].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
