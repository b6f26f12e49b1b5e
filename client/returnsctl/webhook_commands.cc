// returnsctl webhook create | list | update | rotate | delete | deliveries | replay: the
// merchant's webhook endpoints, which receive the change feed as signed HTTPS POSTs (Standard
// Webhooks; docs/integrations.md, "Webhooks"), and their deliveries. Endpoints and secrets are
// an ADMIN key's; listing deliveries and replaying events a SUPPORT key's too.
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/enum_text.h"
#include "returns/v1/webhook_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct WebhookValues {
  std::string endpoint_id, url, description, state, event_id, page_token;
  std::vector<std::string> event_types;
  bool all_events = false, enable = false, disable = false;
  int overlap_seconds = 0, page_size = 0;
  int64_t from_sequence = 0, to_sequence = 0;
};

// Which of update's options were given: only those go into update_mask.
struct UpdateOptions {
  CLI::Option* url = nullptr;
  CLI::Option* event_types = nullptr;
  CLI::Option* all_events = nullptr;
  CLI::Option* description = nullptr;
  CLI::Option* enable = nullptr;
  CLI::Option* disable = nullptr;
};

std::string EventTypes(const google::protobuf::RepeatedPtrField<std::string>& types) {
  return types.empty() ? "all" : absl::StrJoin(types, ", ");
}

std::string Enabled(const v1::WebhookEndpoint& e) { return e.enabled() ? "enabled" : "disabled"; }

void PrintEndpoint(const v1::WebhookEndpoint& e) {
  std::cout << "webhook endpoint " << S(e.endpoint_id()) << "  " << Enabled(e) << "\n"
            << "  url " << S(e.url()) << "\n"
            << "  event types: " << S(EventTypes(e.event_types())) << "\n";
  if (!e.description().empty()) std::cout << "  description: " << S(e.description()) << "\n";
  if (!e.disabled_reason().empty()) {
    std::cout << "  disabled by the service: " << S(e.disabled_reason()) << "\n";
  }
  std::cout << "  created " << Time(e.create_time()) << "  updated " << Time(e.update_time())
            << "\n"
            << "  queued through sequence " << e.queued_through_sequence()
            << "  consecutive failures " << e.consecutive_failures() << "  next attempt "
            << Time(e.next_attempt_time()) << "\n";
  if (e.has_previous_secret_expire_time()) {
    std::cout << "  the previous secret signs too until " << Time(e.previous_secret_expire_time())
              << "\n";
  }
}

// A secret the service shows in this answer only (and in a replay of the same request_id).
void PrintSecret(const std::string& secret, const std::string& what) {
  std::cout << what << ": " << S(secret) << "\n"
            << "(store the secret now: it is shown once and cannot be read again)\n";
}

void PrintEndpoints(const v1::ListWebhookEndpointsResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.endpoints()) {
    rows.push_back({e.endpoint_id(), e.url(), Enabled(e), EventTypes(e.event_types()),
                    absl::StrCat(e.consecutive_failures()), Time(e.next_attempt_time()),
                    OrDash(e.description())});
  }
  PrintTable({"ENDPOINT", "URL", "STATE", "EVENT TYPES", "FAILURES", "NEXT ATTEMPT", "DESCRIPTION"},
             rows);
}

void PrintDeliveries(const v1::ListWebhookDeliveriesResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.deliveries()) {
    rows.push_back({d.event_id(), absl::StrCat(d.sequence()), d.event_type(), EnumText(d.state()),
                    absl::StrCat(d.attempts()),
                    d.response_code() == 0 ? "-" : absl::StrCat(d.response_code()),
                    OrDash(d.error()), Time(d.last_attempt_time()), Time(d.delivered_time()),
                    d.replay() ? "yes" : "no"});
  }
  PrintTable({"EVENT", "SEQUENCE", "TYPE", "STATE", "ATTEMPTS", "HTTP", "ERROR", "LAST ATTEMPT",
              "DELIVERED", "REPLAY"},
             rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
  }
}

void CreateEndpoint(const WebhookValues& v, CommandContext& context) {
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::CreateWebhookEndpointRequest request;
  request.set_request_id(context.request_id);
  request.set_url(v.url);
  for (const std::string& type : v.event_types) request.add_event_types(type);
  request.set_description(v.description);
  v1::CreateWebhookEndpointResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return webhooks.CreateWebhookEndpoint(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  PrintEndpoint(response.endpoint());
  PrintSecret(response.secret(), "signing secret");
}

void ListEndpoints(CommandContext& context) {
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::ListWebhookEndpointsRequest request;
  request.set_page_size(200);  // a merchant has at most 20
  v1::ListWebhookEndpointsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return webhooks.ListWebhookEndpoints(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintEndpoints(response);
}

void UpdateEndpoint(const WebhookValues& v, const UpdateOptions& given, CommandContext& context) {
  v1::UpdateWebhookEndpointRequest request;
  v1::WebhookEndpoint& endpoint = *request.mutable_endpoint();
  google::protobuf::FieldMask& mask = *request.mutable_update_mask();
  if (given.url->count() > 0) {
    endpoint.set_url(v.url);
    mask.add_paths("url");
  }
  if (given.event_types->count() > 0 || given.all_events->count() > 0) {
    for (const std::string& type : v.event_types) endpoint.add_event_types(type);
    mask.add_paths("event_types");
  }
  if (given.description->count() > 0) {
    endpoint.set_description(v.description);
    mask.add_paths("description");
  }
  if (given.enable->count() > 0 || given.disable->count() > 0) {
    endpoint.set_enabled(v.enable);
    mask.add_paths("enabled");
  }
  // An empty mask would set all four fields, the URL to nothing among them.
  if (mask.paths().empty()) {
    std::cerr << "error: give at least one of --url, --event-type, --all-events, --description, "
                 "--enable, --disable\n";
    context.rc = 2;
    return;
  }
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  request.set_request_id(context.request_id);
  endpoint.set_endpoint_id(v.endpoint_id);
  v1::WebhookEndpoint response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return webhooks.UpdateWebhookEndpoint(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintEndpoint(response);
}

void RotateSecret(const WebhookValues& v, CommandContext& context) {
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::RotateWebhookSecretRequest request;
  request.set_request_id(context.request_id);
  request.set_endpoint_id(v.endpoint_id);
  request.set_overlap_seconds(v.overlap_seconds);
  v1::RotateWebhookSecretResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return webhooks.RotateWebhookSecret(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  PrintEndpoint(response.endpoint());
  PrintSecret(response.secret(), "new signing secret");
}

void DeleteEndpoint(const WebhookValues& v, CommandContext& context) {
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::DeleteWebhookEndpointRequest request;
  request.set_request_id(context.request_id);
  request.set_endpoint_id(v.endpoint_id);
  v1::WebhookEndpoint response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return webhooks.DeleteWebhookEndpoint(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "deleted webhook endpoint " << S(response.endpoint_id()) << " (" << S(response.url())
            << ") and its deliveries\n";
}

void ListDeliveries(const WebhookValues& v, CommandContext& context) {
  v1::ListWebhookDeliveriesRequest request;
  request.set_endpoint_id(v.endpoint_id);
  if (!v.state.empty()) {
    const std::optional<v1::WebhookDeliveryState> state =
        ParseEnum<v1::WebhookDeliveryState>(v.state);
    if (!state.has_value()) {
      std::cerr << "error: --state " << v.state
                << " is not a delivery state (pending, succeeded)\n";
      context.rc = 2;
      return;
    }
    request.set_state(*state);
  }
  request.set_event_id(v.event_id);
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::ListWebhookDeliveriesResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return webhooks.ListWebhookDeliveries(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintDeliveries(response);
}

void ReplayEvents(const WebhookValues& v, CommandContext& context) {
  if (v.event_id.empty() && v.from_sequence == 0) {
    std::cerr << "error: give --event-id, or --from-sequence and --to-sequence\n";
    context.rc = 2;
    return;
  }
  v1::WebhookService::Stub& webhooks = *context.services().webhooks;
  v1::ReplayWebhookEventsRequest request;
  request.set_request_id(context.request_id);
  request.set_endpoint_id(v.endpoint_id);
  request.set_event_id(v.event_id);
  request.set_from_sequence(v.from_sequence);
  request.set_to_sequence(v.to_sequence);
  v1::ReplayWebhookEventsResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return webhooks.ReplayWebhookEvents(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "queued " << response.queued() << " deliveries for webhook endpoint "
            << S(v.endpoint_id) << ", after what it already had queued\n";
}

}  // namespace

void AddWebhookCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<WebhookValues>();
  auto* webhook = app.add_subcommand(
      "webhook", "endpoints that receive the change feed as signed webhooks, and their deliveries");
  webhook->require_subcommand(1);

  auto* create = webhook->add_subcommand(
      "create", "create an endpoint (ADMIN key); its signing secret is shown once");
  create->add_option("--url", v->url, "https URL the events are POSTed to")->required();
  create->add_option("--event-type", v->event_types,
                     "an event type (return.approved) or prefix (return.*) to send; repeat it; "
                     "none: every event");
  create->add_option("--description", v->description, "for people, at most 200 characters");
  create->callback([v, &context] { CreateEndpoint(*v, context); });

  auto* list = webhook->add_subcommand("list", "list the merchant's endpoints (never secrets)");
  list->callback([&context] { ListEndpoints(context); });

  auto given = std::make_shared<UpdateOptions>();
  auto* update = webhook->add_subcommand(
      "update", "change an endpoint's URL, event types, description or enabled flag");
  update->add_option("endpoint_id", v->endpoint_id)->required();
  given->url = update->add_option("--url", v->url, "a new https URL");
  given->event_types = update->add_option(
      "--event-type", v->event_types, "the event types to send, replacing the old ones; repeat it");
  given->all_events = update->add_flag("--all-events", v->all_events, "send every event type");
  given->all_events->excludes(given->event_types);
  given->description = update->add_option("--description", v->description, "a new description");
  given->enable = update->add_flag("--enable", v->enable,
                                   "send events again; what is queued goes out in order");
  given->disable = update->add_flag("--disable", v->disable, "stop sending; deliveries wait");
  given->enable->excludes(given->disable);
  update->callback([v, given, &context] { UpdateEndpoint(*v, *given, context); });

  auto* rotate = webhook->add_subcommand(
      "rotate", "make a new signing secret; the previous one keeps signing for a while");
  rotate->add_option("endpoint_id", v->endpoint_id)->required();
  rotate
      ->add_option("--overlap-seconds", v->overlap_seconds,
                   "how long the previous secret signs too (0: a day; at most 604800, a week)")
      ->check(CLI::Range(0, 604800));
  rotate->callback([v, &context] { RotateSecret(*v, context); });

  auto* del = webhook->add_subcommand("delete", "delete an endpoint and its deliveries");
  del->add_option("endpoint_id", v->endpoint_id)->required();
  del->callback([v, &context] { DeleteEndpoint(*v, context); });

  auto* deliveries =
      webhook->add_subcommand("deliveries", "list an endpoint's deliveries, newest first");
  deliveries->add_option("endpoint_id", v->endpoint_id)->required();
  deliveries->add_option("--state", v->state, "only pending or only succeeded deliveries")
      ->check(OneOf({"pending", "succeeded"}));
  deliveries->add_option("--event-id", v->event_id, "only the deliveries of this event");
  deliveries->add_option("--page-size", v->page_size);
  deliveries->add_option("--page-token", v->page_token);
  deliveries->callback([v, &context] { ListDeliveries(*v, context); });

  auto* replay = webhook->add_subcommand(
      "replay", "send events of the feed again to an endpoint, after what it has queued");
  replay->add_option("endpoint_id", v->endpoint_id)->required();
  auto* event_id = replay->add_option("--event-id", v->event_id, "one event, by id");
  auto* from = replay->add_option("--from-sequence", v->from_sequence,
                                  "the first sequence of a range (at least 1)");
  auto* to = replay->add_option("--to-sequence", v->to_sequence,
                                "the last sequence of the range (at most 1000 sequences)");
  from->needs(to);
  to->needs(from);
  event_id->excludes(from);
  event_id->excludes(to);
  replay->callback([v, &context] { ReplayEvents(*v, context); });
}

}  // namespace returns::client
