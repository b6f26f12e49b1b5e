// returnsctl money list | show | report | retry | cancel: the refunds, credits and charges the
// service asks of the merchant's payment system (docs/money.md, "Money movements"). Reading them,
// the payment system's side (an outcome: SUCCEEDED or FAILED), and a person's side of a failure
// (ask again, or give it up).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "returns/v1/money_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct MoneyValues {
  std::string movement_id, order_id, state, page_token;
  std::string outcome, reference, failure_reason, reason;
  int page_size = 0;
};

// An unset Money has no currency; "0.00 " would read as a real zero.
std::string MoneyOrDash(const v1::Money& m) { return m.currency_code().empty() ? "-" : Money(m); }

// A refund's split over the order's tenders, one row each.
void PrintTenders(const google::protobuf::RepeatedPtrField<v1::TenderShare>& tenders) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tenders) {
    rows.push_back({EnumText(t.kind()), t.payment_id(), Money(t.amount()), OrDash(t.reference())});
  }
  PrintTable({"TENDER", "PAYMENT", "AMOUNT", "REFERENCE"}, rows);
}

void PrintMovement(const v1::MoneyMovement& m) {
  std::cout << "money movement " << S(m.movement_id()) << "  kind " << EnumText(m.kind())
            << "  state " << EnumText(m.state()) << "\n"
            << "  order " << S(m.order_id()) << "  subject " << S(OrDash(m.subject()))
            << "  amount " << S(MoneyOrDash(m.amount())) << "\n"
            << "  attempt " << m.attempt() << "  idempotency key " << S(OrDash(m.idempotency_key()))
            << "\n"
            << "  external reference " << S(OrDash(m.external_reference())) << "\n";
  if (!m.failure_reason().empty()) {
    std::cout << "  failure reason: " << S(m.failure_reason()) << "\n";
  }
  std::cout << "  requested " << Time(m.create_time()) << "  updated " << Time(m.update_time())
            << "  outcome " << Time(m.outcome_time()) << "\n";
  // A gift return's credit goes to the gift's recipient, not the buyer.
  if (m.has_recipient()) {
    std::cout << "  to gift recipient " << S(m.recipient().name()) << " <"
              << S(m.recipient().email()) << ">\n";
  }
  if (m.tenders_size() > 0) {
    std::cout << "tenders:\n";
    PrintTenders(m.tenders());
  }
}

void PrintMovements(const v1::ListMoneyMovementsResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : response.movements()) {
    rows.push_back({m.movement_id(), m.order_id(), EnumText(m.kind()), EnumText(m.state()),
                    MoneyOrDash(m.amount()), absl::StrCat(m.attempt()), OrDash(m.subject()),
                    Time(m.create_time())});
  }
  PrintTable({"MOVEMENT", "ORDER", "KIND", "STATE", "AMOUNT", "ATTEMPT", "SUBJECT", "REQUESTED"},
             rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
  }
}

// Prints the MoneyMovement a call answered, or sets the exit code of its failure. `call` sends
// the request on the stub, given a fresh context per attempt.
template <typename Call>
void CallForMovement(CommandContext& context, bool mutation, Call call) {
  v1::MoneyMovement response;
  context.rc =
      Invoke(context.g, mutation, [&](grpc::ClientContext* c) { return call(c, &response); });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintMovement(response);
}

void ListMovements(const MoneyValues& v, CommandContext& context) {
  v1::ListMoneyMovementsRequest request;
  request.set_order_id(v.order_id);
  if (!v.state.empty()) {
    const std::optional<v1::MoneyMovementState> state = ParseEnum<v1::MoneyMovementState>(v.state);
    if (!state.has_value()) {
      std::cerr << "error: --state " << v.state
                << " is not a movement state (requested, succeeded, failed, cancelled)\n";
      context.rc = 2;
      return;
    }
    request.set_state(*state);
  }
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::MoneyService::Stub& money = *context.services().money;
  v1::ListMoneyMovementsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return money.ListMoneyMovements(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintMovements(response);
}

void ShowMovement(const MoneyValues& v, CommandContext& context) {
  v1::MoneyService::Stub& money = *context.services().money;
  v1::GetMoneyMovementRequest request;
  request.set_movement_id(v.movement_id);
  CallForMovement(context, false, [&](grpc::ClientContext* c, v1::MoneyMovement* response) {
    return money.GetMoneyMovement(c, request, response);
  });
}

void ReportOutcome(const MoneyValues& v, CommandContext& context) {
  // The option's check admits only succeeded and failed, both names of MoneyMovementState values.
  const std::optional<v1::MoneyMovementState> outcome =
      ParseEnum<v1::MoneyMovementState>(v.outcome);
  if (!outcome.has_value()) {
    std::cerr << "error: --outcome is succeeded or failed\n";
    context.rc = 2;
    return;
  }
  v1::MoneyService::Stub& money = *context.services().money;
  v1::ReportMoneyMovementOutcomeRequest request;
  request.set_request_id(context.request_id);
  request.set_movement_id(v.movement_id);
  request.set_outcome(*outcome);
  request.set_external_reference(v.reference);
  request.set_failure_reason(v.failure_reason);
  CallForMovement(context, true, [&](grpc::ClientContext* c, v1::MoneyMovement* response) {
    return money.ReportMoneyMovementOutcome(c, request, response);
  });
}

void RetryMovement(const MoneyValues& v, CommandContext& context) {
  v1::MoneyService::Stub& money = *context.services().money;
  v1::RetryMoneyMovementRequest request;
  request.set_request_id(context.request_id);
  request.set_movement_id(v.movement_id);
  request.set_reason(v.reason);
  CallForMovement(context, true, [&](grpc::ClientContext* c, v1::MoneyMovement* response) {
    return money.RetryMoneyMovement(c, request, response);
  });
}

void CancelMovement(const MoneyValues& v, CommandContext& context) {
  v1::MoneyService::Stub& money = *context.services().money;
  v1::CancelMoneyMovementRequest request;
  request.set_request_id(context.request_id);
  request.set_movement_id(v.movement_id);
  request.set_reason(v.reason);
  CallForMovement(context, true, [&](grpc::ClientContext* c, v1::MoneyMovement* response) {
    return money.CancelMoneyMovement(c, request, response);
  });
}

}  // namespace

void AddMoneyCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<MoneyValues>();
  auto* money = app.add_subcommand(
      "money", "refunds, credits and charges asked of the payment system, and their outcomes");
  money->require_subcommand(1);

  auto* list = money->add_subcommand("list", "list money movements, newest first");
  list->add_option("--order", v->order_id, "only this order's movements");
  list->add_option("--state", v->state, "only movements in this state, e.g. requested")
      ->check(OneOf({"requested", "succeeded", "failed", "cancelled"}));
  list->add_option("--page-size", v->page_size);
  list->add_option("--page-token", v->page_token);
  list->callback([v, &context] { ListMovements(*v, context); });

  auto* show = money->add_subcommand("show", "show a money movement with its tender split");
  show->add_option("movement_id", v->movement_id)->required();
  show->callback([v, &context] { ShowMovement(*v, context); });

  // The payment system's side: the outcome of a movement it was asked for.
  auto* report =
      money->add_subcommand("report", "report a movement's outcome: succeeded or failed");
  report->add_option("movement_id", v->movement_id)->required();
  report->add_option("--outcome", v->outcome, "succeeded or failed")
      ->required()
      ->check(OneOf({"succeeded", "failed"}));
  report->add_option("--reference", v->reference, "the payment system's refund or charge id");
  report->add_option("--failure-reason", v->failure_reason, "why it failed, in words");
  report->callback([v, &context] { ReportOutcome(*v, context); });

  // A person's side of a failure: ask again (a new attempt and idempotency key), or give it up.
  auto* retry = money->add_subcommand("retry", "ask for a FAILED movement again");
  retry->add_option("movement_id", v->movement_id)->required();
  retry->add_option("--reason", v->reason, "why");
  retry->callback([v, &context] { RetryMovement(*v, context); });

  auto* cancel = money->add_subcommand(
      "cancel", "give up a REQUESTED or FAILED movement; a refund's tenders are refundable again");
  cancel->add_option("movement_id", v->movement_id)->required();
  cancel->add_option("--reason", v->reason, "why (required)")->required();
  cancel->callback([v, &context] { CancelMovement(*v, context); });
}

}  // namespace returns::client
