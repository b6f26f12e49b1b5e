// returnsctl return ...: a return from start to end. Opening one (eligibility, preview, create),
// reading (get, list), the merchant's decisions (approve, reject), the warehouse's receipt
// (receive), an agent's resolution of an escalated receipt (resolve), and cancelling.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/enum_text.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct ReturnValues {
  std::string order_id, return_id, reason_name, state, page_token, reason, etag, note;
  // A gift return (docs/money.md, "Gift returns"): the proof and the recipient.
  std::string gift_postal_code, gift_code, gift_recipient_name, gift_recipient_email;
  std::vector<std::string> lines, items, withheld;
  int page_size = 0;
};

// "L1:1:TOO_SMALL:EXCHANGE:SKU-M" -> a ReturnLine.
bool ParseLine(const std::string& text, v1::ReturnLine* line, std::string* error) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  if (parts.size() < 4 || parts.size() > 5) {
    *error = "a line is LINE_ID:QUANTITY:REASON:RESOLUTION[:REPLACEMENT_SKU]";
    return false;
  }
  line->set_order_line_id(parts[0]);
  int quantity = 0;
  if (!absl::SimpleAtoi(parts[1], &quantity)) {
    *error = "QUANTITY must be a number";
    return false;
  }
  line->set_quantity(quantity);
  const std::optional<v1::ReturnReason> reason = ParseEnum<v1::ReturnReason>(parts[2]);
  if (!reason.has_value()) {
    *error =
        "REASON is one of TOO_SMALL, TOO_LARGE, NOT_AS_DESCRIBED, DAMAGED, WRONG_ITEM, "
        "DEFECTIVE, CHANGED_MIND, OTHER";
    return false;
  }
  line->set_reason(*reason);
  const std::optional<v1::Resolution> resolution = ParseEnum<v1::Resolution>(parts[3]);
  if (!resolution.has_value()) {
    *error = "RESOLUTION is one of REFUND, STORE_CREDIT, EXCHANGE";
    return false;
  }
  line->set_resolution(*resolution);
  if (parts.size() == 5) line->set_replacement_sku(parts[4]);
  return true;
}

// Every --line into `lines`; false (and a message) at the first that does not parse.
bool ParseLines(const std::vector<std::string>& texts,
                google::protobuf::RepeatedPtrField<v1::ReturnLine>* lines) {
  for (const auto& text : texts) {
    std::string error;
    if (!ParseLine(text, lines->Add(), &error)) {
      std::cerr << "error: --line " << text << ": " << error << "\n";
      return false;
    }
  }
  return true;
}

// The GiftReturn of the --gift-* options, when any is given: the server says what is missing.
std::optional<v1::GiftReturn> GiftOf(const ReturnValues& v) {
  if (v.gift_postal_code.empty() && v.gift_code.empty() && v.gift_recipient_name.empty() &&
      v.gift_recipient_email.empty()) {
    return std::nullopt;
  }
  v1::GiftReturn gift;
  gift.set_shipping_postal_code(v.gift_postal_code);
  gift.set_gift_code(v.gift_code);
  if (!v.gift_recipient_name.empty() || !v.gift_recipient_email.empty()) {
    gift.mutable_recipient()->set_name(v.gift_recipient_name);
    gift.mutable_recipient()->set_email(v.gift_recipient_email);
  }
  return gift;
}

// An unset Money has no currency; "0.00 " would read as a real zero.
std::string MoneyOrDash(const v1::Money& m) { return m.currency_code().empty() ? "-" : Money(m); }

// A settlement plan (PreviewReturn, Return.plan): each line with what its units paid (after
// discounts, with their tax; docs/money.md) and the tax in it, the totals, the shipping refunded
// with it, and the refund's split over the order's tenders.
void PrintPlan(const v1::SettlementPlan& p) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : p.lines()) {
    rows.push_back({l.order_line_id(), std::to_string(l.quantity()), EnumText(l.resolution()),
                    Money(l.unit_price()), MoneyOrDash(l.paid()), MoneyOrDash(l.tax()),
                    Money(l.refund()), Money(l.store_credit()), Money(l.restocking_fee()),
                    Money(l.upsell_amount_due()), Money(l.downsell_credit()),
                    MoneyOrDash(l.bonus_credit())});
  }
  PrintTable({"LINE", "QTY", "RESOLUTION", "PRICE", "PAID", "TAX", "REFUND", "CREDIT", "RESTOCKING",
              "UPSELL", "DOWNSELL", "BONUS"},
             rows);
  std::cout << "refund " << Money(p.refund_total()) << " (after return shipping fee "
            << Money(p.return_shipping_fee()) << ")  store credit " << Money(p.store_credit_total())
            << "  fees " << Money(p.fees_total()) << "  upsell due " << Money(p.upsell_total())
            << "  downsell credit " << Money(p.downsell_total()) << "  (policy version "
            << p.policy_version() << ")\n";
  // The bonus is in the store credit and off the upsell above, not on top of them.
  if (p.bonus_credit_total().amount_minor() > 0) {
    std::cout << "bonus credit " << Money(p.bonus_credit_total())
              << " (in the store credit and off the upsell above; given for lines received OK)\n";
  }
  if (p.shipping_refund().amount_minor() > 0) {
    bool refunds = false;
    for (const auto& l : p.lines()) refunds = refunds || l.resolution() == v1::RESOLUTION_REFUND;
    std::cout << "shipping refund " << Money(p.shipping_refund()) << " (in the "
              << (refunds ? "refund" : "store credit") << " above)\n";
  }
  if (p.refund_tenders_size() > 0) {
    std::vector<std::vector<std::string>> tenders;
    for (const auto& t : p.refund_tenders()) {
      tenders.push_back(
          {EnumText(t.kind()), t.payment_id(), Money(t.amount()), OrDash(t.reference())});
    }
    std::cout << "refund split:\n";
    PrintTable({"TENDER", "PAYMENT", "AMOUNT", "REFERENCE"}, tenders);
  }
}

void PrintReturn(const v1::Return& r) {
  std::cout << "return " << r.return_id() << "  order " << r.order_id() << "  state "
            << EnumText(r.state()) << "  created " << Time(r.create_time()) << "  etag " << r.etag()
            << "\n";
  if (r.has_risk()) {
    std::cout << "risk " << r.risk().score_milli() << "/1000 (" << r.risk().model_version() << ")";
    if (r.risk().factors_size() > 0) {
      std::cout << ": " << TerminalSafe(r.risk().factors(0).explanation());
    }
    std::cout << "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : r.lines()) {
    rows.push_back({l.order_line_id(), absl::StrCat(l.quantity()), EnumText(l.reason()),
                    EnumText(l.resolution()),
                    l.replacement_sku().empty() ? "-" : l.replacement_sku()});
  }
  PrintTable({"LINE", "QTY", "REASON", "RESOLUTION", "REPLACEMENT"}, rows);
  // A gift's store credit goes to its recipient, not the buyer.
  if (r.has_gift_recipient()) {
    std::cout << "gift return to " << S(r.gift_recipient().name()) << " <"
              << S(r.gift_recipient().email()) << ">\n";
  }
  if (r.state() == v1::RETURN_STATE_RESOLVED) {
    std::cout << "resolved " << Time(r.resolve_time()) << ": refund " << Money(r.refund_total())
              << ", store credit " << Money(r.store_credit_total()) << ", fees kept "
              << Money(r.fees_total()) << ", bonus credit " << MoneyOrDash(r.bonus_credit_given())
              << "\n";
  }
  if (r.bonus_withdrawn()) std::cout << "bonus credit withdrawn by a person: none is given\n";
  // Where its money is, over its money movements (returnsctl money list --order ...).
  if (r.money_state() != v1::RETURN_MONEY_STATE_UNSPECIFIED) {
    std::cout << "money state " << EnumText(r.money_state()) << "\n";
  }
  if (r.has_plan()) {
    std::cout << "plan, if every line comes back in good condition:\n";
    PrintPlan(r.plan());
  }
}

void PrintEligibility(const v1::CheckEligibilityResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : response.lines()) {
    std::string why;
    for (const auto& r : l.reasons()) why += (why.empty() ? "" : "; ") + r;
    rows.push_back({l.order_line_id(), l.sku(), l.eligible() ? "yes" : "no",
                    std::to_string(l.returnable_quantity()), Money(l.unit_price()),
                    MoneyOrDash(l.store_credit_bonus()) + " / " + MoneyOrDash(l.exchange_bonus()),
                    l.instant_exchange_offered() ? "offered" : "no",
                    why.empty() ? l.instant_exchange_note() : why});
  }
  PrintTable({"LINE", "SKU", "ELIGIBLE", "LEFT", "PRICE", "BONUS CREDIT / EXCHANGE",
              "INSTANT EXCHANGE", "WHY / NOTE"},
             rows);
  std::vector<std::vector<std::string>> recommended;
  for (const auto& l : response.lines()) {
    for (const auto& r : l.recommendations()) {
      recommended.push_back({l.order_line_id(), EnumText(r.reason()),
                             r.sku() + (r.size().empty() ? "" : " (" + r.size() + ")"),
                             absl::StrCat(r.confidence_milli() / 10.0, "%"),
                             r.in_stock() ? "yes" : "no", r.explanation()});
    }
  }
  if (!recommended.empty()) {
    std::cout << "recommended replacements:\n";
    PrintTable({"LINE", "IF", "REPLACEMENT", "CONFIDENCE", "IN STOCK", "WHY"}, recommended);
  }
  std::cout << "window closes " << Time(response.window_end_time()) << "  restocking fee "
            << Money(response.restocking_fee()) << " per refunded line  return shipping fee "
            << Money(response.return_shipping_fee()) << "  (policy version "
            << response.policy_version() << ")\n";
}

// Prints a Return a mutation answered, or sets the exit code of its failure. `call` sends the
// request on the stub, given a fresh context per attempt.
template <typename Call>
void MutateReturn(CommandContext& context, Call call) {
  v1::Return response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) { return call(c, &response); });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintReturn(response);
}

void CreateReturn(const ReturnValues& v, CommandContext& context) {
  v1::CreateReturnRequest request;
  request.set_order_id(v.order_id);
  if (!ParseLines(v.lines, request.mutable_lines())) {
    context.rc = 2;
    return;
  }
  if (auto gift = GiftOf(v)) *request.mutable_gift() = *gift;
  v1::ReturnService::Stub& returns = *context.services().returns;
  request.set_request_id(context.request_id);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.CreateReturn(c, request, response);
  });
}

void CheckEligibility(const ReturnValues& v, CommandContext& context) {
  v1::CheckEligibilityRequest request;
  request.set_order_id(v.order_id);
  if (!v.reason_name.empty()) {
    const std::optional<v1::ReturnReason> reason = ParseEnum<v1::ReturnReason>(v.reason_name);
    if (!reason.has_value()) {
      std::cerr << "error: --reason " << v.reason_name
                << " is not a reason (TOO_SMALL, TOO_LARGE, DAMAGED, ...)\n";
      context.rc = 2;
      return;
    }
    request.set_reason(*reason);
  }
  if (auto gift = GiftOf(v)) *request.mutable_gift() = *gift;
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::CheckEligibilityResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return returns.CheckEligibility(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintEligibility(response);
}

void PreviewReturn(const ReturnValues& v, CommandContext& context) {
  v1::PreviewReturnRequest request;
  request.set_order_id(v.order_id);
  if (!ParseLines(v.lines, request.mutable_lines())) {
    context.rc = 2;
    return;
  }
  if (auto gift = GiftOf(v)) *request.mutable_gift() = *gift;
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::SettlementPlan response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return returns.PreviewReturn(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintPlan(response);
}

void GetReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::GetReturnRequest request;
  request.set_return_id(v.return_id);
  v1::Return response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return returns.GetReturn(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintReturn(response);
}

void ListReturns(const ReturnValues& v, CommandContext& context) {
  v1::ListReturnsRequest request;
  request.set_order_id(v.order_id);
  if (!v.state.empty()) {
    const std::optional<v1::ReturnState> state = ParseEnum<v1::ReturnState>(v.state);
    if (!state.has_value()) {
      std::cerr << "error: --state " << v.state << " is not a return state\n";
      context.rc = 2;
      return;
    }
    request.set_state(*state);
  }
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::ListReturnsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return returns.ListReturns(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : response.returns()) {
    rows.push_back({r.return_id(), r.order_id(), EnumText(r.state()), absl::StrCat(r.lines_size()),
                    Time(r.create_time())});
  }
  PrintTable({"RETURN", "ORDER", "STATE", "LINES", "CREATED"}, rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

void CancelReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::CancelReturnRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  request.set_reason(v.reason);
  request.set_etag(v.etag);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.CancelReturn(c, request, response);
  });
}

void ReceiveReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReceiveReturnRequest request;
  request.set_return_id(v.return_id);
  for (const auto& text : v.items) {
    std::vector<std::string> parts = absl::StrSplit(text, ':');
    std::optional<v1::ItemCondition> condition;
    if (parts.size() == 2) condition = ParseEnum<v1::ItemCondition>(parts[1]);
    if (!condition.has_value()) {
      std::cerr << "error: --item is ORDER_LINE_ID:CONDITION\n";
      context.rc = 2;
      return;
    }
    auto* item = request.add_items();
    item->set_order_line_id(parts[0]);
    item->set_condition(*condition);
  }
  v1::ReturnService::Stub& returns = *context.services().returns;
  request.set_request_id(context.request_id);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.ReceiveReturn(c, request, response);
  });
}

void ApproveReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::ApproveReturnRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  request.set_note(v.note);
  request.set_etag(v.etag);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.ApproveReturn(c, request, response);
  });
}

void RejectReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::RejectReturnRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  request.set_reason(v.reason);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.RejectReturn(c, request, response);
  });
}

void ResolveReturn(const ReturnValues& v, CommandContext& context) {
  v1::ReturnService::Stub& returns = *context.services().returns;
  v1::ResolveReturnRequest request;
  request.set_request_id(context.request_id);
  request.set_return_id(v.return_id);
  for (const auto& line : v.withheld) request.add_withheld_order_line_ids(line);
  request.set_note(v.note);
  MutateReturn(context, [&](grpc::ClientContext* c, v1::Return* response) {
    return returns.ResolveReturn(c, request, response);
  });
}

}  // namespace

void AddReturnCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<ReturnValues>();
  auto* ret = app.add_subcommand("return", "open, read and cancel returns")->require_subcommand(1);
  const std::string line_format = "LINE_ID:QUANTITY:REASON:RESOLUTION[:REPLACEMENT_SKU]";
  // The recipient of a gift returns it: proved by the shipping postal code or the gift code.
  auto add_gift_options = [v](CLI::App* command) {
    command->add_option("--gift-postal-code", v->gift_postal_code,
                        "a gift return: the postal code the order was shipped to");
    command->add_option("--gift-code", v->gift_code,
                        "a gift return: the gift code the storefront handed out");
    command->add_option("--gift-recipient-name", v->gift_recipient_name,
                        "a gift return: the recipient its store credit goes to");
    command->add_option("--gift-recipient-email", v->gift_recipient_email,
                        "a gift return: the recipient's e-mail address");
  };

  auto* create = ret->add_subcommand("create", "open a return");
  create->add_option("--order", v->order_id, "the order")->required();
  create->add_option("--line", v->lines, line_format)->required();
  add_gift_options(create);
  create->callback([v, &context] { CreateReturn(*v, context); });

  auto* eligibility =
      ret->add_subcommand("eligibility", "what may be returned from an order now, line by line");
  eligibility->add_option("--order", v->order_id, "the order")->required();
  eligibility->add_option(
      "--reason", v->reason_name,
      "the customer's reason (TOO_SMALL, TOO_LARGE, ...): replacements are recommended for it");
  add_gift_options(eligibility);
  eligibility->callback([v, &context] { CheckEligibility(*v, context); });

  auto* preview =
      ret->add_subcommand("preview", "what a return of these lines would pay; changes nothing");
  preview->add_option("--order", v->order_id, "the order")->required();
  preview->add_option("--line", v->lines, line_format)->required();
  add_gift_options(preview);
  preview->callback([v, &context] { PreviewReturn(*v, context); });

  auto* get = ret->add_subcommand("get", "show a return");
  get->add_option("return_id", v->return_id)->required();
  get->callback([v, &context] { GetReturn(*v, context); });

  auto* list = ret->add_subcommand("list", "list returns");
  list->add_option("--order", v->order_id, "only this order's returns");
  list->add_option("--state", v->state, "only returns in this state, e.g. REQUESTED");
  list->add_option("--page-size", v->page_size);
  list->add_option("--page-token", v->page_token);
  list->callback([v, &context] { ListReturns(*v, context); });

  auto* cancel = ret->add_subcommand("cancel", "cancel a return");
  cancel->add_option("return_id", v->return_id)->required();
  cancel->add_option("--reason", v->reason, "why");
  cancel->add_option("--etag", v->etag, "refuse if the return changed since this etag");
  cancel->callback([v, &context] { CancelReturn(*v, context); });

  auto* receive = ret->add_subcommand("receive", "record the warehouse's receipt of a return");
  receive->add_option("return_id", v->return_id)->required();
  receive
      ->add_option("--item", v->items, "ORDER_LINE_ID:CONDITION (OK, DAMAGED, WRONG_ITEM, MISSING)")
      ->required();
  receive->callback([v, &context] { ReceiveReturn(*v, context); });

  auto* approve =
      ret->add_subcommand("approve", "approve a REQUESTED return; its label is requested");
  approve->add_option("return_id", v->return_id)->required();
  approve->add_option("--note", v->note, "kept with the approval");
  approve->add_option("--etag", v->etag, "refuse if the return changed since this etag");
  approve->callback([v, &context] { ApproveReturn(*v, context); });

  auto* reject = ret->add_subcommand("reject", "reject a REQUESTED return");
  reject->add_option("return_id", v->return_id)->required();
  reject->add_option("--reason", v->reason, "why (required)")->required();
  reject->callback([v, &context] { RejectReturn(*v, context); });

  auto* resolve = ret->add_subcommand("resolve", "resolve a RECEIVED return escalated to an agent");
  resolve->add_option("return_id", v->return_id)->required();
  resolve->add_option("--withhold", v->withheld,
                      "an order line that pays out nothing (repeatable)");
  resolve->add_option("--note", v->note, "why (required)")->required();
  resolve->callback([v, &context] { ResolveReturn(*v, context); });
}

}  // namespace returns::client
