// returnsctl commands for the journey after a return is requested: approval and resolution,
// labels, shipments, the sandbox carrier's simulated scans, and the durable jobs.
#include <map>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli_common.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"

namespace returns::client {
namespace {

std::string Name(const v1::ShipmentState state) { return v1::ShipmentState_Name(state).substr(15); }

void PrintShipment(const v1::Shipment& s) {
  static const std::map<v1::ShipmentPurpose, const char*> kPurpose = {
      {v1::SHIPMENT_PURPOSE_RETURN_LABEL, "INBOUND (return label)"},
      {v1::SHIPMENT_PURPOSE_REPLACEMENT, "OUTBOUND (replacement)"},
      {v1::SHIPMENT_PURPOSE_ORDER, "OUTBOUND (the order's parcel)"},
      {v1::SHIPMENT_PURPOSE_RESHIP, "OUTBOUND (a claim's reship)"}};
  auto purpose = kPurpose.find(s.purpose());
  std::cout << "shipment " << s.shipment_id() << "  "
            << (purpose != kPurpose.end() ? purpose->second
                : s.direction() == v1::SHIPMENT_DIRECTION_INBOUND ? "INBOUND"
                                                                  : "OUTBOUND")
            << "  state " << Name(s.state()) << "\n  order " << s.order_id() << "  return "
            << (s.return_id().empty() ? "-" : s.return_id()) << "\n  carrier "
            << (s.carrier().empty() ? "-" : s.carrier()) << "  tracking "
            << (s.tracking_number().empty() ? "-" : s.tracking_number());
  if (!s.sku().empty()) std::cout << "  " << s.quantity() << " x " << s.sku();
  for (const auto& line : s.lines()) std::cout << "  " << line.order_line_id() << " x" << line.quantity();
  if (s.has_promise_time()) std::cout << "\n  promised " << Time(s.promise_time());
  if (s.has_delivered_time()) std::cout << "  delivered " << Time(s.delivered_time());
  if (!s.claim_id().empty()) std::cout << "\n  claim " << s.claim_id();
  if (!s.label_format().empty()) {
    std::cout << "\n  label " << s.label_format() << " (" << s.label_document().size()
              << " bytes; returnsctl label download " << s.shipment_id() << ")";
  }
  std::cout << "\n  last carrier event " << Time(s.last_event_time()) << "  updated "
            << Time(s.update_time()) << "\n";
}

// The sandbox carrier's next scan for a shipment in `state`: the first scan, then delivery.
v1::CarrierEventCode NextSandboxScan(v1::ShipmentState state) {
  return state == v1::SHIPMENT_STATE_LABEL_CREATED ? v1::CARRIER_EVENT_CODE_ACCEPTED
                                                   : v1::CARRIER_EVENT_CODE_DELIVERED;
}

}  // namespace

void AddOrchestrationCommands(CLI::App& cli, CLI::App& ret, Command cmd) {
  // Option values live as long as the CLI; callbacks run after parsing.
  struct Values {
    std::string return_id, shipment_id, job_id, note, reason, etag, carrier, tracking, output;
    std::string order_id, code;
    std::vector<std::string> withheld;
    bool dead = false;
  };
  auto v = std::make_shared<Values>();

  auto* approve = ret.add_subcommand("approve", "approve a REQUESTED return; its label is requested");
  approve->add_option("return_id", v->return_id)->required();
  approve->add_option("--note", v->note, "kept with the approval");
  approve->add_option("--etag", v->etag, "refuse if the return changed since this etag");
  approve->callback([v, cmd] {
    auto stub = v1::ReturnService::NewStub(cmd.channel());
    v1::ApproveReturnRequest request;
    request.set_request_id(cmd.request_id);
    request.set_return_id(v->return_id);
    request.set_note(v->note);
    request.set_etag(v->etag);
    v1::Return response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->ApproveReturn(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintReturn(response);
  });

  auto* reject = ret.add_subcommand("reject", "reject a REQUESTED return");
  reject->add_option("return_id", v->return_id)->required();
  reject->add_option("--reason", v->reason, "why (required)")->required();
  reject->callback([v, cmd] {
    auto stub = v1::ReturnService::NewStub(cmd.channel());
    v1::RejectReturnRequest request;
    request.set_request_id(cmd.request_id);
    request.set_return_id(v->return_id);
    request.set_reason(v->reason);
    v1::Return response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->RejectReturn(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintReturn(response);
  });

  auto* resolve = ret.add_subcommand("resolve", "resolve a RECEIVED return escalated to an agent");
  resolve->add_option("return_id", v->return_id)->required();
  resolve->add_option("--withhold", v->withheld, "an order line that pays out nothing (repeatable)");
  resolve->add_option("--note", v->note, "why (required)")->required();
  resolve->callback([v, cmd] {
    auto stub = v1::ReturnService::NewStub(cmd.channel());
    v1::ResolveReturnRequest request;
    request.set_request_id(cmd.request_id);
    request.set_return_id(v->return_id);
    for (const auto& line : v->withheld) request.add_withheld_order_line_ids(line);
    request.set_note(v->note);
    v1::Return response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->ResolveReturn(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintReturn(response);
  });

  // label create | download | void
  auto* label = cli.add_subcommand("label", "return labels")->require_subcommand(1);
  auto* label_create = label->add_subcommand("create", "the return's label (requested when it has none)");
  label_create->add_option("return_id", v->return_id)->required();
  label_create->add_option("--carrier", v->carrier, "carrier code (default: the policy's)");
  label_create->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::CreateReturnLabelRequest request;
    request.set_request_id(cmd.request_id);
    request.set_return_id(v->return_id);
    request.set_carrier(v->carrier);
    v1::Shipment response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->CreateReturnLabel(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintShipment(response);
  });
  auto* label_download = label->add_subcommand("download", "write a shipment's label document to a file");
  label_download->add_option("shipment_id", v->shipment_id)->required();
  label_download->add_option("-o,--output", v->output, "file to write (default: label-<tracking>.<zpl|pdf>)");
  label_download->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::GetShipmentRequest request;
    request.set_shipment_id(v->shipment_id);
    v1::Shipment shipment;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->GetShipment(c, request, &shipment); });
    if (cmd.rc != 0) return;
    if (shipment.label_document().empty()) {
      std::cerr << "error: shipment " << shipment.shipment_id() << " has no label yet (state "
                << Name(shipment.state()) << "); try again in a moment\n";
      cmd.rc = 1;
      return;
    }
    std::string path = v->output;
    if (path.empty()) {
      path = absl::StrCat("label-", shipment.tracking_number(), shipment.label_format() == "PDF" ? ".pdf" : ".zpl");
    }
    std::ofstream file(path, std::ios::binary);
    file << shipment.label_document();
    if (!file) {
      std::cerr << "error: cannot write " << path << "\n";
      cmd.rc = 1;
      return;
    }
    std::cout << "wrote " << path << " (" << shipment.label_format() << ", "
              << shipment.label_document().size() << " bytes, tracking " << shipment.tracking_number() << ")\n";
  });
  auto* label_void = label->add_subcommand("void", "void an unused return label");
  label_void->add_option("shipment_id", v->shipment_id)->required();
  label_void->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::VoidLabelRequest request;
    request.set_request_id(cmd.request_id);
    request.set_shipment_id(v->shipment_id);
    v1::Shipment response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->VoidLabel(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintShipment(response);
  });

  // shipments list | show | confirm
  auto* shipments = cli.add_subcommand("shipments", "parcels both ways: labels and replacements")->require_subcommand(1);
  auto* shipments_list = shipments->add_subcommand("list", "list shipments, oldest first");
  shipments_list->add_option("--order", v->order_id, "only this order's");
  shipments_list->add_option("--return", v->return_id, "only this return's");
  shipments_list->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::ListShipmentsRequest request;
    request.set_order_id(v->order_id);
    request.set_return_id(v->return_id);
    request.set_page_size(200);
    v1::ListShipmentsResponse response;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->ListShipments(c, request, &response); });
    if (cmd.rc != 0) return;
    if (cmd.g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : response.shipments()) {
      rows.push_back({s.shipment_id(), s.order_id(),
                      s.direction() == v1::SHIPMENT_DIRECTION_INBOUND ? "INBOUND" : "OUTBOUND",
                      Name(s.state()), s.carrier().empty() ? "-" : s.carrier(),
                      s.tracking_number().empty() ? "-" : s.tracking_number()});
    }
    PrintTable({"SHIPMENT", "ORDER", "DIRECTION", "STATE", "CARRIER", "TRACKING"}, rows);
  });
  auto* shipments_show = shipments->add_subcommand("show", "show a shipment");
  shipments_show->add_option("shipment_id", v->shipment_id)->required();
  shipments_show->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::GetShipmentRequest request;
    request.set_shipment_id(v->shipment_id);
    v1::Shipment response;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->GetShipment(c, request, &response); });
    if (cmd.rc != 0) return;
    if (cmd.g.json) {
      response.clear_label_document();  // binary; use `label download`
      return PrintJson(response);
    }
    PrintShipment(response);
  });
  auto* shipments_confirm = shipments->add_subcommand(
      "confirm", "as the warehouse: the replacement left, with this carrier and tracking number");
  shipments_confirm->add_option("shipment_id", v->shipment_id)->required();
  shipments_confirm->add_option("--carrier", v->carrier)->required();
  shipments_confirm->add_option("--tracking", v->tracking)->required();
  shipments_confirm->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::ConfirmFulfillmentRequest request;
    request.set_request_id(cmd.request_id);
    request.set_shipment_id(v->shipment_id);
    request.set_carrier(v->carrier);
    request.set_tracking_number(v->tracking);
    v1::Shipment response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->ConfirmFulfillment(c, request, &response); });
    if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintShipment(response);
  });

  // sandbox advance
  auto* sandbox = cli.add_subcommand("sandbox", "the sandbox carrier's simulated tracking")->require_subcommand(1);
  auto* advance = sandbox->add_subcommand(
      "advance", "send the sandbox carrier's next scan of a shipment (first scan, then delivery)");
  advance->add_option("shipment_id", v->shipment_id)->required();
  advance->add_option("--to", v->code, "send this scan instead: ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION");
  advance->callback([v, cmd] {
    auto stub = v1::LogisticsService::NewStub(cmd.channel());
    v1::GetShipmentRequest get;
    get.set_shipment_id(v->shipment_id);
    v1::Shipment shipment;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->GetShipment(c, get, &shipment); });
    if (cmd.rc != 0) return;
    if (shipment.carrier() != "sandbox" || shipment.tracking_number().empty()) {
      std::cerr << "error: only a sandbox shipment with a tracking number can be advanced (carrier \""
                << shipment.carrier() << "\", state " << Name(shipment.state()) << ")\n";
      cmd.rc = 1;
      return;
    }
    v1::CarrierEventCode code = NextSandboxScan(shipment.state());
    if (!v->code.empty() && !v1::CarrierEventCode_Parse("CARRIER_EVENT_CODE_" + v->code, &code)) {
      std::cerr << "error: --to is ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or EXCEPTION\n";
      cmd.rc = 2;
      return;
    }
    v1::RecordCarrierEventsRequest request;
    v1::CarrierEvent* event = request.add_events();
    event->set_carrier("sandbox");
    event->set_tracking_number(shipment.tracking_number());
    // Deterministic, like a carrier's own ids: sending the same scan twice is a duplicate.
    const std::string code_name = v1::CarrierEventCode_Name(code).substr(19);
    event->set_event_id(absl::StrCat("sandbox-", shipment.tracking_number(), "-", code_name));
    event->set_code(code);
    *event->mutable_event_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    event->set_location("Sandbox hub");
    v1::RecordCarrierEventsResponse response;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->RecordCarrierEvents(c, request, &response); });
    if (cmd.rc != 0) return;
    if (cmd.g.json) return PrintJson(response);
    std::cout << "sandbox scan " << code_name << " of " << shipment.tracking_number() << ": "
              << v1::CarrierEventOutcome_Name(response.results(0).outcome()).substr(22) << "\n";
  });

  // jobs list | retry
  auto* jobs = cli.add_subcommand("jobs", "durable jobs and their dead letters (ADMIN keys)")->require_subcommand(1);
  auto* jobs_list = jobs->add_subcommand("list", "list jobs, oldest first");
  jobs_list->add_flag("--dead", v->dead, "only dead-lettered jobs");
  jobs_list->callback([v, cmd] {
    auto stub = v1::AdminService::NewStub(cmd.channel());
    v1::ListJobsRequest request;
    if (v->dead) request.set_state(v1::JOB_STATE_DEAD);
    request.set_page_size(200);
    v1::ListJobsResponse response;
    cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->ListJobs(c, request, &response); });
    if (cmd.rc != 0) return;
    if (cmd.g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& j : response.jobs()) {
      rows.push_back({j.job_id(), v1::JobKind_Name(j.kind()).substr(9), j.order_id(),
                      v1::JobState_Name(j.state()).substr(10), absl::StrCat(j.attempts(), "/", j.max_attempts()),
                      Time(j.run_after()), j.last_error().substr(0, 60)});
    }
    PrintTable({"JOB", "KIND", "ORDER", "STATE", "ATTEMPTS", "RUN AFTER", "LAST ERROR"}, rows);
  });
  auto* jobs_retry = jobs->add_subcommand("retry", "put a dead job back in line");
  jobs_retry->add_option("job_id", v->job_id)->required();
  jobs_retry->callback([v, cmd] {
    auto stub = v1::AdminService::NewStub(cmd.channel());
    v1::RetryJobRequest request;
    request.set_request_id(cmd.request_id);
    request.set_job_id(v->job_id);
    v1::Job response;
    cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->RetryJob(c, request, &response); });
    if (cmd.rc != 0) return;
    if (cmd.g.json) return PrintJson(response);
    std::cout << "job " << response.job_id() << " is " << v1::JobState_Name(response.state()).substr(10) << "\n";
  });
}

}  // namespace returns::client
