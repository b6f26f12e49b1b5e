// returnsctl label create | download | void: a return's label, its document, voiding it unused.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "returnsctl/shipment_text.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct LabelValues {
  std::string return_id, carrier, shipment_id, output;
};

void CreateLabel(const LabelValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::CreateReturnLabelRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  request.set_carrier(v.carrier);
  v1::Shipment response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return logistics.CreateReturnLabel(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintShipment(response);
}

void DownloadLabel(const LabelValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::GetShipmentRequest request;
  request.set_shipment_id(v.shipment_id);
  v1::Shipment shipment;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.GetShipment(c, request, &shipment);
  });
  if (context.rc != 0) return;
  if (shipment.label_document().empty()) {
    std::cerr << "error: shipment " << shipment.shipment_id() << " has no label yet (state "
              << EnumText(shipment.state()) << "); try again in a moment\n";
    context.rc = 1;
    return;
  }
  std::string path = v.output;
  if (path.empty()) {
    path = absl::StrCat("label-", shipment.tracking_number(),
                        shipment.label_format() == "PDF" ? ".pdf" : ".zpl");
  }
  std::ofstream file(path, std::ios::binary);
  file << shipment.label_document();
  if (!file) {
    std::cerr << "error: cannot write " << path << "\n";
    context.rc = 1;
    return;
  }
  std::cout << "wrote " << path << " (" << shipment.label_format() << ", "
            << shipment.label_document().size() << " bytes, tracking " << shipment.tracking_number()
            << ")\n";
}

void VoidLabel(const LabelValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::VoidLabelRequest request;
  request.set_request_id(context.request_id);
  request.set_shipment_id(v.shipment_id);
  v1::Shipment response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return logistics.VoidLabel(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintShipment(response);
}

}  // namespace

void AddLabelCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<LabelValues>();
  auto* label = app.add_subcommand("label", "return labels")->require_subcommand(1);

  auto* create = label->add_subcommand("create", "the return's label (requested when it has none)");
  create->add_option("return_id", v->return_id)->required();
  create->add_option("--carrier", v->carrier, "carrier code (default: the policy's)");
  create->callback([v, &context] { CreateLabel(*v, context); });

  auto* download = label->add_subcommand("download", "write a shipment's label document to a file");
  download->add_option("shipment_id", v->shipment_id)->required();
  download->add_option("-o,--output", v->output,
                       "file to write (default: label-<tracking>.<zpl|pdf>)");
  download->callback([v, &context] { DownloadLabel(*v, context); });

  auto* void_label = label->add_subcommand("void", "void an unused return label");
  void_label->add_option("shipment_id", v->shipment_id)->required();
  void_label->callback([v, &context] { VoidLabel(*v, context); });
}

}  // namespace returns::client
