// returnsctl token ...: instant-exchange tokens. Issuing one for an exchange line, reading,
// redeeming (the replacement ships), revoking, and the payment system's side: a charge's outcome,
// and raising a failed charge again.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct TokenValues {
  std::string return_id, line_id, token_id, token_text, collateral_ref, state, reason;
  std::string outcome, payment_reference;
  std::string currency = "EUR";
  int64_t collateral_minor = 0;
};

void PrintToken(const v1::ExchangeToken& t) {
  std::cout << "exchange token " << t.exchange_token_id() << "  state " << EnumText(t.state())
            << "\n"
            << "  return " << t.return_id() << " line " << t.order_line_id() << " -> "
            << t.quantity() << " x " << t.replacement_sku() << "\n"
            << "  upsell due " << Money(t.upsell_amount_due()) << "  downsell credit "
            << Money(t.downsell_credit()) << "  charge if not returned " << Money(t.charge_amount())
            << "\n  expires " << Time(t.expire_time()) << "  charge deadline "
            << Time(t.charge_deadline()) << "\n";
}

// Prints the ExchangeToken a call answered, or sets the exit code of its failure. `call` sends
// the request on the stub, given a fresh context per attempt.
template <typename Call>
void CallForToken(CommandContext& context, bool mutation, Call call) {
  v1::ExchangeToken response;
  context.rc =
      Invoke(context.g, mutation, [&](grpc::ClientContext* c) { return call(c, &response); });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintToken(response);
}

void IssueToken(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::IssueExchangeTokenRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  request.set_order_line_id(v.line_id);
  if (!v.collateral_ref.empty()) {
    request.mutable_collateral()->set_authorization_reference(v.collateral_ref);
    request.mutable_collateral()->mutable_amount()->set_currency_code(v.currency);
    request.mutable_collateral()->mutable_amount()->set_amount_minor(v.collateral_minor);
  }
  v1::IssueExchangeTokenResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return exchanges.IssueExchangeToken(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  PrintToken(response.exchange_token());
  std::cout << "token: " << response.token()
            << "\n(give it to the customer now: it cannot be shown again)\n";
}

void ShowToken(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::GetExchangeTokenRequest request;
  request.set_exchange_token_id(v.token_id);
  CallForToken(context, false, [&](grpc::ClientContext* c, v1::ExchangeToken* response) {
    return exchanges.GetExchangeToken(c, request, response);
  });
}

void ListTokens(const TokenValues& v, CommandContext& context) {
  v1::ListExchangeTokensRequest request;
  request.set_return_id(v.return_id);
  if (!v.state.empty()) {
    const std::optional<v1::ExchangeTokenState> state = ParseEnum<v1::ExchangeTokenState>(v.state);
    if (!state.has_value()) {
      std::cerr << "error: --state " << v.state << " is not a token state\n";
      context.rc = 2;
      return;
    }
    request.set_state(*state);
  }
  request.set_page_size(200);
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::ListExchangeTokensResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return exchanges.ListExchangeTokens(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : response.exchange_tokens()) {
    rows.push_back({t.exchange_token_id(), EnumText(t.state()), t.replacement_sku(),
                    absl::StrCat(t.quantity()), Time(t.expire_time())});
  }
  PrintTable({"TOKEN", "STATE", "REPLACEMENT", "QTY", "EXPIRES"}, rows);
}

void RedeemToken(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::RedeemExchangeTokenRequest request;
  request.set_request_id(context.request_id);
  request.set_token(v.token_text);
  CallForToken(context, true, [&](grpc::ClientContext* c, v1::ExchangeToken* response) {
    return exchanges.RedeemExchangeToken(c, request, response);
  });
}

void RevokeToken(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::RevokeExchangeTokenRequest request;
  request.set_request_id(context.request_id);
  request.set_exchange_token_id(v.token_id);
  request.set_reason(v.reason);
  CallForToken(context, true, [&](grpc::ClientContext* c, v1::ExchangeToken* response) {
    return exchanges.RevokeExchangeToken(c, request, response);
  });
}

void ReportChargeOutcome(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::ReportChargeOutcomeRequest request;
  request.set_request_id(context.request_id);
  request.set_exchange_token_id(v.token_id);
  // The option's check admits only CHARGED and FAILED, both values of ChargeOutcome.
  request.set_outcome(ParseEnum<v1::ChargeOutcome>(v.outcome).value());
  request.set_payment_reference(v.payment_reference);
  CallForToken(context, true, [&](grpc::ClientContext* c, v1::ExchangeToken* response) {
    return exchanges.ReportChargeOutcome(c, request, response);
  });
}

void RetryCharge(const TokenValues& v, CommandContext& context) {
  v1::ExchangeService::Stub& exchanges = *context.services().exchanges;
  v1::RetryExchangeTokenChargeRequest request;
  request.set_request_id(context.request_id);
  request.set_exchange_token_id(v.token_id);
  request.set_reason(v.reason);
  CallForToken(context, true, [&](grpc::ClientContext* c, v1::ExchangeToken* response) {
    return exchanges.RetryExchangeTokenCharge(c, request, response);
  });
}

}  // namespace

void AddExchangeTokenCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<TokenValues>();
  auto* token = app.add_subcommand("token", "instant-exchange tokens")->require_subcommand(1);

  auto* issue = token->add_subcommand("issue", "issue a token for an exchange line of a return");
  issue->add_option("--return", v->return_id)->required();
  issue->add_option("--line", v->line_id, "the order line exchanged")->required();
  issue->add_option("--collateral-ref", v->collateral_ref, "payment authorisation reference");
  issue->add_option("--collateral-minor", v->collateral_minor, "authorised amount in minor units");
  issue->add_option("--currency", v->currency, "currency of the collateral")->capture_default_str();
  issue->callback([v, &context] { IssueToken(*v, context); });

  auto* show = token->add_subcommand("show", "show a token (never its secret string)");
  show->add_option("exchange_token_id", v->token_id)->required();
  show->callback([v, &context] { ShowToken(*v, context); });

  auto* list = token->add_subcommand("list", "list tokens");
  list->add_option("--return", v->return_id, "only this return's tokens");
  list->add_option("--state", v->state, "only tokens in this state, e.g. ISSUED");
  list->callback([v, &context] { ListTokens(*v, context); });

  auto* redeem = token->add_subcommand("redeem", "redeem a token: the replacement ships");
  redeem->add_option("token", v->token_text, "the token string xt1....")->required();
  redeem->callback([v, &context] { RedeemToken(*v, context); });

  auto* revoke = token->add_subcommand("revoke", "revoke an unredeemed token");
  revoke->add_option("exchange_token_id", v->token_id)->required();
  revoke->add_option("--reason", v->reason);
  revoke->callback([v, &context] { RevokeToken(*v, context); });

  // The payment system's side: report a charge's outcome, or raise a failed charge again.
  auto* outcome = token->add_subcommand("charge-outcome", "report a charge: CHARGED or FAILED");
  outcome->add_option("exchange_token_id", v->token_id)->required();
  outcome->add_option("outcome", v->outcome, "CHARGED or FAILED")
      ->required()
      ->check(CLI::IsMember({"CHARGED", "FAILED"}));
  outcome->add_option("--payment-reference", v->payment_reference);
  outcome->callback([v, &context] { ReportChargeOutcome(*v, context); });

  auto* retry = token->add_subcommand("retry-charge", "raise a CHARGE_FAILED token's charge again");
  retry->add_option("exchange_token_id", v->token_id)->required();
  retry->add_option("--reason", v->reason);
  retry->callback([v, &context] { RetryCharge(*v, context); });
}

}  // namespace returns::client
