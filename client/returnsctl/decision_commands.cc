// returnsctl decisions [list] | override: the audit trail of automated decisions (listing with
// filters) and a person's override of one.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/enum_text.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

struct DecisionValues {
  // The list's filters, bound both to bare `decisions` and to `decisions list`.
  std::string subject, outcome, kind, since, until, page_token;
  int page_size = 0;
  bool overridden = false, not_overridden = false;
  // override
  std::string decision_id, reason, resolution;
  bool approve = false, deny = false;
};

void PrintDecision(const v1::Decision& d) {
  std::cout << "decision " << S(d.decision_id()) << "  kind " << S(d.kind()) << "  subject "
            << S(d.subject()) << "  made " << Time(d.create_time()) << "\n"
            << "  outcome " << EnumText(d.outcome()) << "  rule " << S(OrDash(d.rule_version()))
            << "  score " << d.score_milli() << "/1000\n";
  for (const auto& reason : d.reasons()) std::cout << "  reason: " << S(reason) << "\n";
  // A protobuf map iterates in no fixed order; sorted, two printings can be compared.
  std::map<std::string, std::string> inputs;
  for (const auto& entry : d.inputs()) inputs[entry.first] = entry.second;
  for (const auto& entry : inputs) {
    std::cout << "  input " << S(entry.first) << " = " << S(entry.second) << "\n";
  }
  if (d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED) {
    std::cout << "  overridden: " << EnumText(d.override_outcome()) << " by "
              << S(d.override_actor()) << " at " << Time(d.override_time())
              << "\n  note: " << S(d.override_note()) << "\n";
  }
}

// The override columns only appear when some decision on the page was overridden, so the
// common case stays narrow.
void PrintDecisions(const v1::ListDecisionsResponse& response) {
  const bool any_override = std::any_of(
      response.decisions().begin(), response.decisions().end(), [](const v1::Decision& d) {
        return d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED;
      });
  std::vector<std::string> header = {"DECISION", "TIME", "KIND", "SUBJECT", "OUTCOME", "RULE"};
  if (any_override) header.insert(header.end(), {"OVERRIDE", "BY", "NOTE"});
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.decisions()) {
    rows.push_back({d.decision_id(), Time(d.create_time()), d.kind(), d.subject(),
                    EnumText(d.outcome()), d.rule_version()});
    if (!any_override) continue;
    const bool overridden = d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED;
    rows.back().insert(rows.back().end(), {overridden ? EnumText(d.override_outcome()) : "-",
                                           overridden ? d.override_actor() : "-",
                                           overridden ? d.override_note().substr(0, 60) : "-"});
  }
  PrintTable(header, rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
  }
}

void AddDecisionFilters(CLI::App* app, DecisionValues* v) {
  app->add_option("--subject", v->subject,
                  "only decisions about this resource: returns/<id>, claims/<id> or "
                  "exchange_tokens/<id>");
  app->add_option("--outcome", v->outcome, "only this outcome: approved, escalated or denied")
      ->check(OneOf({"approved", "escalated", "denied"}));
  app->add_option("--kind", v->kind, "only this kind, e.g. claim_adjudication or return_approval");
  app->add_option("--since", v->since, "only decisions made at or after this time (RFC 3339)");
  app->add_option("--until", v->until, "only decisions made before this time (RFC 3339)");
  app->add_flag("--overridden", v->overridden, "only decisions a person overrode");
  app->add_flag("--not-overridden", v->not_overridden, "only decisions nobody overrode");
  app->add_option("--page-size", v->page_size);
  app->add_option("--page-token", v->page_token);
}

bool BuildListDecisionsRequest(const DecisionValues& v, v1::ListDecisionsRequest* request,
                               std::string* error) {
  request->set_subject(v.subject);
  request->set_kind(v.kind);
  request->set_page_size(v.page_size);
  request->set_page_token(v.page_token);
  if (!v.outcome.empty()) {
    const std::optional<v1::DecisionOutcome> outcome = ParseEnum<v1::DecisionOutcome>(v.outcome);
    if (!outcome.has_value()) {
      *error = "--outcome is approved, escalated or denied";
      return false;
    }
    request->set_outcome(*outcome);
  }
  if (!v.since.empty() && !TimeUtil::FromString(v.since, request->mutable_start_time())) {
    *error = "--since is an RFC 3339 time such as 2024-05-01T00:00:00Z";
    return false;
  }
  if (!v.until.empty() && !TimeUtil::FromString(v.until, request->mutable_end_time())) {
    *error = "--until is an RFC 3339 time such as 2024-05-01T00:00:00Z";
    return false;
  }
  if (v.overridden && v.not_overridden) {
    *error = "give at most one of --overridden and --not-overridden";
    return false;
  }
  if (v.overridden) request->set_overridden(v1::OVERRIDE_FILTER_OVERRIDDEN);
  if (v.not_overridden) request->set_overridden(v1::OVERRIDE_FILTER_NOT_OVERRIDDEN);
  return true;
}

void ListDecisions(const DecisionValues& v, CommandContext& context) {
  v1::ListDecisionsRequest request;
  std::string error;
  if (!BuildListDecisionsRequest(v, &request, &error)) {
    std::cerr << "error: " << error << "\n";
    context.rc = 2;
    return;
  }
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::ListDecisionsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return admin.ListDecisions(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintDecisions(response);
}

void OverrideDecision(const DecisionValues& v, CommandContext& context) {
  v1::OverrideDecisionRequest request;
  if (v.approve == v.deny) {
    std::cerr << "error: give exactly one of --approve and --deny\n";
    context.rc = 2;
    return;
  }
  request.set_outcome(v.approve ? v1::DECISION_OUTCOME_APPROVED : v1::DECISION_OUTCOME_DENIED);
  if (!v.resolution.empty()) {
    const std::optional<v1::ClaimResolution> resolution =
        ParseEnum<v1::ClaimResolution>(v.resolution);
    if (!v.approve || !resolution.has_value()) {
      std::cerr << "error: --resolution (reship or refund) goes with --approve\n";
      context.rc = 2;
      return;
    }
    request.set_claim_resolution(*resolution);
  }
  v1::AdminService::Stub& admin = *context.services().admin;
  request.set_request_id(context.request_id);
  request.set_decision_id(v.decision_id);
  request.set_reason(v.reason);
  v1::Decision response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return admin.OverrideDecision(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintDecision(response);
}

}  // namespace

void AddDecisionCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<DecisionValues>();
  // Bare `decisions [filters]` lists, as it always did; `list` says the same thing explicitly.
  auto* decisions =
      app.add_subcommand("decisions", "automated decisions: list (the default) and override");
  decisions->require_subcommand(0, 1);
  AddDecisionFilters(decisions, v.get());

  auto* list = decisions->add_subcommand("list", "list automated decisions, newest first");
  AddDecisionFilters(list, v.get());
  list->callback([v, &context] { ListDecisions(*v, context); });

  auto* override_command = decisions->add_subcommand(
      "override",
      "a person's outcome instead of the automation's; its effect is carried out at once");
  override_command->add_option("decision_id", v->decision_id)->required();
  override_command->add_flag("--approve", v->approve, "approve what the decision was about");
  override_command->add_flag("--deny", v->deny, "deny it");
  override_command->add_option("--reason", v->reason, "why (required)")->required();
  override_command
      ->add_option("--resolution", v->resolution, "for a claim approved: reship or refund")
      ->check(OneOf({"reship", "refund"}));
  override_command->callback([v, &context] { OverrideDecision(*v, context); });

  // A parent's callback runs after its subcommand's: only list when no subcommand ran.
  decisions->callback([v, &context, decisions] {
    if (decisions->get_subcommands().empty()) ListDecisions(*v, context);
  });
}

}  // namespace returns::client
