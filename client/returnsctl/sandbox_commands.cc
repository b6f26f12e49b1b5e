// returnsctl sandbox advance: the sandbox carrier's simulated tracking, one scan at a time.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/enum_text.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct SandboxValues {
  std::string shipment_id, code;
};

// The sandbox carrier's next scan for a shipment in `state`: the first scan, then delivery.
v1::CarrierEventCode NextSandboxScan(v1::ShipmentState state) {
  return state == v1::SHIPMENT_STATE_LABEL_CREATED ? v1::CARRIER_EVENT_CODE_ACCEPTED
                                                   : v1::CARRIER_EVENT_CODE_DELIVERED;
}

void Advance(const SandboxValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::GetShipmentRequest get;
  get.set_shipment_id(v.shipment_id);
  v1::Shipment shipment;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.GetShipment(c, get, &shipment);
  });
  if (context.rc != 0) return;
  if (shipment.carrier() != "sandbox" || shipment.tracking_number().empty()) {
    std::cerr << "error: only a sandbox shipment with a tracking number can be advanced "
              << "(carrier \"" << shipment.carrier() << "\", state " << EnumText(shipment.state())
              << ")\n";
    context.rc = 1;
    return;
  }
  v1::CarrierEventCode code = NextSandboxScan(shipment.state());
  if (!v.code.empty()) {
    const std::optional<v1::CarrierEventCode> chosen = ParseEnum<v1::CarrierEventCode>(v.code);
    if (!chosen.has_value()) {
      std::cerr << "error: --to is ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or "
                   "EXCEPTION\n";
      context.rc = 2;
      return;
    }
    code = *chosen;
  }
  v1::RecordCarrierEventsRequest request;
  v1::CarrierEvent* event = request.add_events();
  event->set_carrier("sandbox");
  event->set_tracking_number(shipment.tracking_number());
  // Deterministic, like a carrier's own ids: sending the same scan twice is a duplicate.
  const std::string code_name = EnumText(code);
  event->set_event_id(absl::StrCat("sandbox-", shipment.tracking_number(), "-", code_name));
  event->set_code(code);
  *event->mutable_event_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  event->set_location("Sandbox hub");
  v1::RecordCarrierEventsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.RecordCarrierEvents(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "sandbox scan " << code_name << " of " << shipment.tracking_number() << ": "
            << EnumText(response.results(0).outcome()) << "\n";
}

}  // namespace

void AddSandboxCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<SandboxValues>();
  auto* sandbox = app.add_subcommand("sandbox", "the sandbox carrier's simulated tracking")
                      ->require_subcommand(1);
  auto* advance = sandbox->add_subcommand(
      "advance", "send the sandbox carrier's next scan of a shipment (first scan, then delivery)");
  advance->add_option("shipment_id", v->shipment_id)->required();
  advance->add_option("--to", v->code,
                      "send this scan instead: ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, "
                      "EXCEPTION");
  advance->callback([v, &context] { Advance(*v, context); });
}

}  // namespace returns::client
