// returnsctl shipments list | show | confirm: parcels both ways, return labels and replacements;
// confirm is the warehouse's word that a replacement left.
#include <memory>
#include <string>
#include <vector>

#include "common/enum_text.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "returnsctl/shipment_text.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct ShipmentValues {
  std::string order_id, return_id, shipment_id, carrier, tracking;
};

void ListShipments(const ShipmentValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::ListShipmentsRequest request;
  request.set_order_id(v.order_id);
  request.set_return_id(v.return_id);
  request.set_page_size(200);
  v1::ListShipmentsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.ListShipments(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : response.shipments()) {
    rows.push_back({s.shipment_id(), s.order_id(),
                    s.direction() == v1::SHIPMENT_DIRECTION_INBOUND ? "INBOUND" : "OUTBOUND",
                    EnumText(s.state()), s.carrier().empty() ? "-" : s.carrier(),
                    s.tracking_number().empty() ? "-" : s.tracking_number()});
  }
  PrintTable({"SHIPMENT", "ORDER", "DIRECTION", "STATE", "CARRIER", "TRACKING"}, rows);
}

void ShowShipment(const ShipmentValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::GetShipmentRequest request;
  request.set_shipment_id(v.shipment_id);
  v1::Shipment response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.GetShipment(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) {
    response.clear_label_document();  // binary; use `label download`
    return PrintJson(response);
  }
  PrintShipment(response);
}

void ConfirmFulfillment(const ShipmentValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::ConfirmFulfillmentRequest request;
  request.set_request_id(context.request_id);
  request.set_shipment_id(v.shipment_id);
  request.set_carrier(v.carrier);
  request.set_tracking_number(v.tracking);
  v1::Shipment response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return logistics.ConfirmFulfillment(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintShipment(response);
}

}  // namespace

void AddShipmentCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<ShipmentValues>();
  auto* shipments = app.add_subcommand("shipments", "parcels both ways: labels and replacements")
                        ->require_subcommand(1);

  auto* list = shipments->add_subcommand("list", "list shipments, oldest first");
  list->add_option("--order", v->order_id, "only this order's");
  list->add_option("--return", v->return_id, "only this return's");
  list->callback([v, &context] { ListShipments(*v, context); });

  auto* show = shipments->add_subcommand("show", "show a shipment");
  show->add_option("shipment_id", v->shipment_id)->required();
  show->callback([v, &context] { ShowShipment(*v, context); });

  auto* confirm = shipments->add_subcommand(
      "confirm", "as the warehouse: the replacement left, with this carrier and tracking number");
  confirm->add_option("shipment_id", v->shipment_id)->required();
  confirm->add_option("--carrier", v->carrier)->required();
  confirm->add_option("--tracking", v->tracking)->required();
  confirm->callback([v, &context] { ConfirmFulfillment(*v, context); });
}

}  // namespace returns::client
