// returnsctl: the command line for support agents, operators and scripts. One subcommand per
// task; human-readable tables by default, --json for scripts (proto3 JSON of the response).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returns/v1/return_service.grpc.pb.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "cli_common.h"
#include "returns_client.h"
#include "table.h"
#include "terminal_text.h"

namespace returns::client {
namespace {

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
  v1::ReturnReason reason;
  if (!v1::ReturnReason_Parse("RETURN_REASON_" + parts[2], &reason)) {
    *error = "REASON is one of TOO_SMALL, TOO_LARGE, NOT_AS_DESCRIBED, DAMAGED, WRONG_ITEM, DEFECTIVE, CHANGED_MIND, OTHER";
    return false;
  }
  line->set_reason(reason);
  v1::Resolution resolution;
  if (!v1::Resolution_Parse("RESOLUTION_" + parts[3], &resolution)) {
    *error = "RESOLUTION is one of REFUND, STORE_CREDIT, EXCHANGE";
    return false;
  }
  line->set_resolution(resolution);
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

}  // namespace
}  // namespace returns::client

int main(int argc, char** argv) {
  using namespace returns;
  using namespace returns::client;
  Globals g;
  if (const char* addr = std::getenv("RETURNS_ADDR")) g.options.address = addr;
  if (const char* key = std::getenv("RETURNS_API_KEY")) g.options.api_key = key;
  if (const char* ca = std::getenv("RETURNS_TLS_CA")) g.options.tls_ca_file = ca;
  if (const char* cert = std::getenv("RETURNS_TLS_CERT")) g.options.tls_cert_file = cert;
  if (const char* key = std::getenv("RETURNS_TLS_KEY")) g.options.tls_key_file = key;
  if (const char* plain = std::getenv("RETURNS_ALLOW_INSECURE_PLAINTEXT")) {
    g.options.allow_insecure_plaintext = std::string(plain) == "1";
  }

  CLI::App cli{"returnsctl: orders, returns and timelines of the returns service"};
  cli.fallthrough();
  cli.require_subcommand(1);
  cli.add_option("--addr", g.options.address, "server address (RETURNS_ADDR)")->capture_default_str();
  cli.add_option("--api-key", g.options.api_key, "API key rk_... (RETURNS_API_KEY)");
  cli.add_option("--tls-ca", g.options.tls_ca_file, "CA of the server's certificate: use TLS (RETURNS_TLS_CA)");
  cli.add_option("--tls-cert", g.options.tls_cert_file, "client certificate for mutual TLS (RETURNS_TLS_CERT)");
  cli.add_option("--tls-key", g.options.tls_key_file, "client key for mutual TLS (RETURNS_TLS_KEY)");
  cli.add_option("--tls-server-name", g.options.tls_server_name, "name the server certificate carries");
  cli.add_flag("--allow-insecure-plaintext", g.options.allow_insecure_plaintext,
               "send the API key without TLS to an address off this machine "
               "(RETURNS_ALLOW_INSECURE_PLAINTEXT=1)");
  cli.add_option("--timeout", g.timeout_seconds, "seconds to wait for each call")->capture_default_str();
  cli.add_flag("--json", g.json, "print the response as JSON");
  std::string request_id;
  cli.add_option("--request-id", request_id, "request_id of a mutation (default: random)");

  int rc = 0;
  auto channel = [&] {
    g.options.timeout = absl::Milliseconds(g.timeout_seconds * 1000);
    if (request_id.empty()) request_id = NewRequestId();
    try {
      return MakeChannel(g.options);
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      std::exit(2);
    }
  };

  // order upsert | get | list
  auto* order = cli.add_subcommand("order", "sync and read orders")->require_subcommand(1);
  std::string order_file, order_id, page_token;
  int page_size = 0;
  auto* order_upsert = order->add_subcommand("upsert", "create or replace an order from a JSON file");
  order_upsert->add_option("--file", order_file, "the Order as proto3 JSON ('-' for stdin)")->required();
  order_upsert->callback([&] {
    std::stringstream text;
    if (order_file == "-") text << std::cin.rdbuf(); else text << std::ifstream(order_file).rdbuf();
    v1::UpsertOrderRequest request;
    if (!google::protobuf::util::JsonStringToMessage(text.str(), request.mutable_order()).ok()) {
      std::cerr << "error: " << order_file << " is not an Order in proto3 JSON\n";
      rc = 2;
      return;
    }
    auto stub = v1::OrderService::NewStub(channel());
    request.set_request_id(request_id);
    v1::Order response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->UpsertOrder(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintOrder(response);
  });
  // order import: many orders, one JSON Order per line. With --request-id R, line N's upsert has
  // the request_id R-N, so rerunning the same file with the same R (after an interruption)
  // replays what was done; without it each run draws fresh ids (an upsert of unchanged content
  // changes nothing anyway).
  auto* order_import = order->add_subcommand("import", "bulk-sync orders from a file of JSON Orders, one per line");
  order_import->add_option("--file", order_file, "JSON lines, one Order each ('-' for stdin)")->required();
  order_import->callback([&] {
    std::ifstream file_stream;
    if (order_file != "-") file_stream.open(order_file);
    std::istream& in = order_file == "-" ? std::cin : file_stream;
    const std::string prefix = request_id;  // --request-id as given (channel() draws one otherwise)
    if (!in) {
      std::cerr << "error: cannot read " << order_file << "\n";
      rc = 2;
      return;
    }
    auto stub = v1::OrderService::NewStub(channel());
    const bool progress = isatty(STDERR_FILENO);
    int64_t line_number = 0, synced = 0, failed = 0;
    absl::Time next_progress = absl::Now();
    for (std::string line; std::getline(in, line);) {
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      v1::UpsertOrderRequest request;
      if (!google::protobuf::util::JsonStringToMessage(line, request.mutable_order()).ok()) {
        std::cerr << "\nline " << line_number << ": not an Order in proto3 JSON\n";
        ++failed;
        continue;
      }
      request.set_request_id(prefix.empty() ? NewRequestId() : absl::StrCat(prefix, "-", line_number));
      v1::Order response;
      if (Invoke(g, true, [&](grpc::ClientContext* c) { return stub->UpsertOrder(c, request, &response); }) != 0) {
        std::cerr << "line " << line_number << ": order " << request.order().order_id() << " not synced\n";
        ++failed;
      } else {
        ++synced;
      }
      if (progress && absl::Now() >= next_progress) {
        std::cerr << "\r[" << synced << " synced, " << failed << " failed, line " << line_number << "]" << std::flush;
        next_progress = absl::Now() + absl::Milliseconds(500);
      }
    }
    if (progress) std::cerr << "\n";
    std::cout << synced << " order(s) synced, " << failed << " failed\n";
    if (failed > 0) rc = 1;
  });
  auto* order_get = order->add_subcommand("get", "show an order");
  order_get->add_option("order_id", order_id)->required();
  order_get->callback([&] {
    auto stub = v1::OrderService::NewStub(channel());
    v1::GetOrderRequest request;
    request.set_order_id(order_id);
    v1::Order response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->GetOrder(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintOrder(response);
  });
  auto* order_list = order->add_subcommand("list", "list orders");
  order_list->add_option("--page-size", page_size);
  order_list->add_option("--page-token", page_token);
  order_list->callback([&] {
    auto stub = v1::OrderService::NewStub(channel());
    v1::ListOrdersRequest request;
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListOrdersResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->ListOrders(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : response.orders()) {
      rows.push_back({o.order_id(), o.customer_id(), absl::StrCat(o.lines_size()),
                      Time(o.delivered_time())});
    }
    PrintTable({"ORDER", "CUSTOMER", "LINES", "DELIVERED"}, rows);
    if (!response.next_page_token().empty()) std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  });

  // return create | get | list | cancel
  auto* ret = cli.add_subcommand("return", "open, read and cancel returns")->require_subcommand(1);
  std::vector<std::string> lines;
  std::string return_id, state, reason, etag;
  auto* ret_create = ret->add_subcommand("create", "open a return");
  ret_create->add_option("--order", order_id, "the order")->required();
  ret_create->add_option("--line", lines, "LINE_ID:QUANTITY:REASON:RESOLUTION[:REPLACEMENT_SKU]")->required();
  ret_create->callback([&] {
    v1::CreateReturnRequest request;
    request.set_order_id(order_id);
    if (!ParseLines(lines, request.mutable_lines())) {
      rc = 2;
      return;
    }
    auto stub = v1::ReturnService::NewStub(channel());
    request.set_request_id(request_id);
    v1::Return response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->CreateReturn(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintReturn(response);
  });
  auto* ret_eligibility = ret->add_subcommand("eligibility", "what may be returned from an order now, line by line");
  ret_eligibility->add_option("--order", order_id, "the order")->required();
  std::string reason_name;
  ret_eligibility->add_option("--reason", reason_name,
                              "the customer's reason (TOO_SMALL, TOO_LARGE, ...): replacements are recommended for it");
  ret_eligibility->callback([&] {
    v1::CheckEligibilityRequest request;
    request.set_order_id(order_id);
    if (!reason_name.empty()) {
      v1::ReturnReason reason;
      if (!v1::ReturnReason_Parse("RETURN_REASON_" + reason_name, &reason)) {
        std::cerr << "error: --reason " << reason_name << " is not a reason (TOO_SMALL, TOO_LARGE, DAMAGED, ...)\n";
        rc = 2;
        return;
      }
      request.set_reason(reason);
    }
    auto stub = v1::ReturnService::NewStub(channel());
    v1::CheckEligibilityResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->CheckEligibility(c, request, &response); });
    if (rc != 0) return;
    if (g.json) {
      PrintJson(response);
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : response.lines()) {
      std::string why;
      for (const auto& r : l.reasons()) why += (why.empty() ? "" : "; ") + r;
      rows.push_back({l.order_line_id(), l.sku(), l.eligible() ? "yes" : "no", std::to_string(l.returnable_quantity()),
                      Money(l.unit_price()),
                      l.instant_exchange_offered() ? "offered" : "no",
                      why.empty() ? l.instant_exchange_note() : why});
    }
    PrintTable({"LINE", "SKU", "ELIGIBLE", "LEFT", "PRICE", "INSTANT EXCHANGE", "WHY / NOTE"}, rows);
    std::vector<std::vector<std::string>> recommended;
    for (const auto& l : response.lines()) {
      for (const auto& r : l.recommendations()) {
        recommended.push_back({l.order_line_id(), v1::ReturnReason_Name(r.reason()).substr(14),
                               r.sku() + (r.size().empty() ? "" : " (" + r.size() + ")"),
                               absl::StrCat(r.confidence_milli() / 10.0, "%"), r.in_stock() ? "yes" : "no",
                               r.explanation()});
      }
    }
    if (!recommended.empty()) {
      std::cout << "recommended replacements:\n";
      PrintTable({"LINE", "IF", "REPLACEMENT", "CONFIDENCE", "IN STOCK", "WHY"}, recommended);
    }
    std::cout << "window closes " << Time(response.window_end_time()) << "  restocking fee "
              << Money(response.restocking_fee()) << " per refunded line  return shipping fee "
              << Money(response.return_shipping_fee()) << "  (policy version " << response.policy_version() << ")\n";
  });
  auto* ret_preview = ret->add_subcommand("preview", "what a return of these lines would pay; changes nothing");
  ret_preview->add_option("--order", order_id, "the order")->required();
  ret_preview->add_option("--line", lines, "LINE_ID:QUANTITY:REASON:RESOLUTION[:REPLACEMENT_SKU]")->required();
  ret_preview->callback([&] {
    v1::PreviewReturnRequest request;
    request.set_order_id(order_id);
    if (!ParseLines(lines, request.mutable_lines())) {
      rc = 2;
      return;
    }
    auto stub = v1::ReturnService::NewStub(channel());
    v1::SettlementPlan response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->PreviewReturn(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintPlan(response);
  });
  auto* ret_get = ret->add_subcommand("get", "show a return");
  ret_get->add_option("return_id", return_id)->required();
  ret_get->callback([&] {
    auto stub = v1::ReturnService::NewStub(channel());
    v1::GetReturnRequest request;
    request.set_return_id(return_id);
    v1::Return response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->GetReturn(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintReturn(response);
  });
  auto* ret_list = ret->add_subcommand("list", "list returns");
  ret_list->add_option("--order", order_id, "only this order's returns");
  ret_list->add_option("--state", state, "only returns in this state, e.g. REQUESTED");
  ret_list->add_option("--page-size", page_size);
  ret_list->add_option("--page-token", page_token);
  ret_list->callback([&] {
    v1::ListReturnsRequest request;
    request.set_order_id(order_id);
    if (!state.empty()) {
      v1::ReturnState parsed;
      if (!v1::ReturnState_Parse("RETURN_STATE_" + state, &parsed)) {
        std::cerr << "error: --state " << state << " is not a return state\n";
        rc = 2;
        return;
      }
      request.set_state(parsed);
    }
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    auto stub = v1::ReturnService::NewStub(channel());
    v1::ListReturnsResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->ListReturns(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : response.returns()) {
      rows.push_back({r.return_id(), r.order_id(), v1::ReturnState_Name(r.state()).substr(13),
                      absl::StrCat(r.lines_size()), Time(r.create_time())});
    }
    PrintTable({"RETURN", "ORDER", "STATE", "LINES", "CREATED"}, rows);
    if (!response.next_page_token().empty()) std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  });
  auto* ret_cancel = ret->add_subcommand("cancel", "cancel a return");
  ret_cancel->add_option("return_id", return_id)->required();
  ret_cancel->add_option("--reason", reason, "why");
  ret_cancel->add_option("--etag", etag, "refuse if the return changed since this etag");
  ret_cancel->callback([&] {
    auto stub = v1::ReturnService::NewStub(channel());
    v1::CancelReturnRequest request;
    request.set_request_id(request_id);
    request.set_return_id(return_id);
    request.set_reason(reason);
    request.set_etag(etag);
    v1::Return response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->CancelReturn(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintReturn(response);
  });

  // timeline ORDER_ID
  auto* timeline = cli.add_subcommand("timeline", "show an order's timeline, oldest first");
  timeline->add_option("order_id", order_id)->required();
  bool watch = false;
  timeline->add_flag("--watch", watch, "then keep printing new events as they happen (WatchTimeline)");
  timeline->callback([&] {
    auto stub = v1::TimelineService::NewStub(channel());
    if (watch) {  // the whole timeline, then live, until interrupted
      ClientOptions stream_options = g.options;
      stream_options.timeout = absl::Hours(24 * 365);
      auto context = MakeContext(stream_options);
      v1::WatchTimelineRequest request;
      request.set_order_id(order_id);
      auto reader = stub->WatchTimeline(context.get(), request);
      v1::TimelineEvent event;
      while (reader->Read(&event)) {
        if (g.json) {
          PrintJson(event);
        } else {
          // Server text, escaped like every table cell (client/terminal_text.h).
          std::cout << Time(event.create_time()) << "  " << TerminalSafe(event.event_type()) << "  "
                    << TerminalSafe(event.state()) << "  " << TerminalSafe(event.summary()) << "\n";
        }
        std::cout.flush();
      }
      grpc::Status status = reader->Finish();
      if (!status.ok()) {
        std::cerr << "error: " << DescribeError(status) << "\n";
        rc = 1;
      }
      return;
    }
    v1::GetTimelineResponse all;
    v1::GetTimelineRequest request;
    request.set_order_id(order_id);
    request.set_page_size(200);
    do {  // every page
      v1::GetTimelineResponse page;
      rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->GetTimeline(c, request, &page); });
      if (rc != 0) return;
      for (const auto& e : page.events()) *all.add_events() = e;
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (g.json) return PrintJson(all);
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : all.events()) {
      rows.push_back({Time(e.create_time()), e.event_type(), e.state(), e.summary()});
    }
    PrintTable({"TIME", "EVENT", "STATE", "SUMMARY"}, rows);
  });

  // return receive
  std::vector<std::string> items;
  std::string currency = "EUR";
  auto* ret_receive = ret->add_subcommand("receive", "record the warehouse's receipt of a return");
  ret_receive->add_option("return_id", return_id)->required();
  ret_receive->add_option("--item", items, "ORDER_LINE_ID:CONDITION (OK, DAMAGED, WRONG_ITEM, MISSING)")->required();
  ret_receive->callback([&] {
    v1::ReceiveReturnRequest request;
    request.set_return_id(return_id);
    for (const auto& text : items) {
      std::vector<std::string> parts = absl::StrSplit(text, ':');
      v1::ItemCondition condition;
      if (parts.size() != 2 || !v1::ItemCondition_Parse("ITEM_CONDITION_" + parts[1], &condition)) {
        std::cerr << "error: --item is ORDER_LINE_ID:CONDITION\n";
        rc = 2;
        return;
      }
      auto* item = request.add_items();
      item->set_order_line_id(parts[0]);
      item->set_condition(condition);
    }
    auto stub = v1::ReturnService::NewStub(channel());
    request.set_request_id(request_id);
    v1::Return response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->ReceiveReturn(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintReturn(response);
  });

  // token issue | show | list | redeem | revoke
  auto* token = cli.add_subcommand("token", "instant-exchange tokens")->require_subcommand(1);
  std::string line_id, token_id, token_text, collateral_ref;
  int64_t collateral_minor = 0;
  auto* token_issue = token->add_subcommand("issue", "issue a token for an exchange line of a return");
  token_issue->add_option("--return", return_id)->required();
  token_issue->add_option("--line", line_id, "the order line exchanged")->required();
  token_issue->add_option("--collateral-ref", collateral_ref, "payment authorisation reference");
  token_issue->add_option("--collateral-minor", collateral_minor, "authorised amount in minor units");
  token_issue->add_option("--currency", currency, "currency of the collateral")->capture_default_str();
  token_issue->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::IssueExchangeTokenRequest request;
    request.set_request_id(request_id);
    request.set_return_id(return_id);
    request.set_order_line_id(line_id);
    if (!collateral_ref.empty()) {
      request.mutable_collateral()->set_authorization_reference(collateral_ref);
      request.mutable_collateral()->mutable_amount()->set_currency_code(currency);
      request.mutable_collateral()->mutable_amount()->set_amount_minor(collateral_minor);
    }
    v1::IssueExchangeTokenResponse response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->IssueExchangeToken(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    PrintToken(response.exchange_token());
    std::cout << "token: " << response.token() << "\n(give it to the customer now: it cannot be shown again)\n";
  });
  auto* token_show = token->add_subcommand("show", "show a token (never its secret string)");
  token_show->add_option("exchange_token_id", token_id)->required();
  token_show->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::GetExchangeTokenRequest request;
    request.set_exchange_token_id(token_id);
    v1::ExchangeToken response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->GetExchangeToken(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintToken(response);
  });
  auto* token_list = token->add_subcommand("list", "list tokens");
  token_list->add_option("--return", return_id, "only this return's tokens");
  token_list->add_option("--state", state, "only tokens in this state, e.g. ISSUED");
  token_list->callback([&] {
    v1::ListExchangeTokensRequest request;
    request.set_return_id(return_id);
    if (!state.empty()) {
      v1::ExchangeTokenState parsed;
      if (!v1::ExchangeTokenState_Parse("EXCHANGE_TOKEN_STATE_" + state, &parsed)) {
        std::cerr << "error: --state " << state << " is not a token state\n";
        rc = 2;
        return;
      }
      request.set_state(parsed);
    }
    request.set_page_size(200);
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::ListExchangeTokensResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->ListExchangeTokens(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : response.exchange_tokens()) {
      rows.push_back({t.exchange_token_id(), v1::ExchangeTokenState_Name(t.state()).substr(21),
                      t.replacement_sku(), absl::StrCat(t.quantity()), Time(t.expire_time())});
    }
    PrintTable({"TOKEN", "STATE", "REPLACEMENT", "QTY", "EXPIRES"}, rows);
  });
  auto* token_redeem = token->add_subcommand("redeem", "redeem a token: the replacement ships");
  token_redeem->add_option("token", token_text, "the token string xt1....")->required();
  token_redeem->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::RedeemExchangeTokenRequest request;
    request.set_request_id(request_id);
    request.set_token(token_text);
    v1::ExchangeToken response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->RedeemExchangeToken(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintToken(response);
  });
  auto* token_revoke = token->add_subcommand("revoke", "revoke an unredeemed token");
  token_revoke->add_option("exchange_token_id", token_id)->required();
  token_revoke->add_option("--reason", reason);
  token_revoke->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::RevokeExchangeTokenRequest request;
    request.set_request_id(request_id);
    request.set_exchange_token_id(token_id);
    request.set_reason(reason);
    v1::ExchangeToken response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->RevokeExchangeToken(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintToken(response);
  });
  // The payment system's side: report a charge's outcome, or raise a failed charge again.
  std::string outcome;
  std::string payment_reference;
  auto* token_outcome = token->add_subcommand("charge-outcome", "report a charge: CHARGED or FAILED");
  token_outcome->add_option("exchange_token_id", token_id)->required();
  token_outcome->add_option("outcome", outcome, "CHARGED or FAILED")->required()->check(CLI::IsMember({"CHARGED", "FAILED"}));
  token_outcome->add_option("--payment-reference", payment_reference);
  token_outcome->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::ReportChargeOutcomeRequest request;
    request.set_request_id(request_id);
    request.set_exchange_token_id(token_id);
    request.set_outcome(outcome == "CHARGED" ? v1::CHARGE_OUTCOME_CHARGED : v1::CHARGE_OUTCOME_FAILED);
    request.set_payment_reference(payment_reference);
    v1::ExchangeToken response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->ReportChargeOutcome(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintToken(response);
  });
  auto* token_retry = token->add_subcommand("retry-charge", "raise a CHARGE_FAILED token's charge again");
  token_retry->add_option("exchange_token_id", token_id)->required();
  token_retry->add_option("--reason", reason);
  token_retry->callback([&] {
    auto stub = v1::ExchangeService::NewStub(channel());
    v1::RetryExchangeTokenChargeRequest request;
    request.set_request_id(request_id);
    request.set_exchange_token_id(token_id);
    request.set_reason(reason);
    v1::ExchangeToken response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->RetryExchangeTokenCharge(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : PrintToken(response);
  });

  // events [--after N] [--follow]
  auto* events = cli.add_subcommand("events", "the merchant's change feed, in commit order");
  int64_t after_sequence = 0;
  bool follow = false;
  events->add_option("--after", after_sequence, "resume after this sequence")->capture_default_str();
  events->add_flag("--follow", follow,
                   "keep streaming new events until interrupted, resuming after the last one when the "
                   "stream ends (server drain, stream lifetime, a lost connection); progress on stderr");
  events->callback([&] {
    auto stub = v1::TimelineService::NewStub(channel());
    ClientOptions stream_options = g.options;
    // Without --follow, stop once the feed has been quiet for the timeout.
    stream_options.timeout = follow ? absl::Hours(24 * 365) : absl::Seconds(2);
    const bool progress = follow && isatty(STDERR_FILENO);
    int64_t received = 0, last = after_sequence;
    absl::Time next_progress = absl::Now();
    for (;;) {
      auto context = MakeContext(stream_options);
      v1::StreamEventsRequest request;
      request.set_after_sequence(last);
      auto reader = stub->StreamEvents(context.get(), request);
      v1::ChangeEvent event;
      while (reader->Read(&event)) {
        if (g.json) {
          PrintJson(event);
        } else {
          std::cout << event.sequence() << "  " << Time(event.create_time()) << "  "
                    << TerminalSafe(event.event_type()) << "  " << TerminalSafe(event.aggregate_type()) << " "
                    << TerminalSafe(event.aggregate_id()) << "\n";
        }
        std::cout.flush();
        last = event.sequence();
        ++received;
        if (progress && absl::Now() >= next_progress) {
          std::cerr << "\r[" << received << " events, last sequence " << last << "]" << std::flush;
          next_progress = absl::Now() + absl::Seconds(2);
        }
      }
      grpc::Status status = reader->Finish();
      const bool resumable = status.ok() || status.error_code() == grpc::StatusCode::UNAVAILABLE;
      if (follow && resumable) {
        // The server ended the stream (drain, lifetime) or went away: resume after `last`.
        if (progress) std::cerr << "\r[stream ended; resuming after sequence " << last << "]\n";
        absl::SleepFor(absl::Seconds(status.ok() ? 0 : 1));
        continue;
      }
      if (!status.ok() && status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        std::cerr << "error: " << DescribeError(status) << "\n";
        rc = 1;
      }
      break;
    }
  });

  // inventory set | get | list
  auto* inventory = cli.add_subcommand("inventory", "stock levels for instant exchanges")->require_subcommand(1);
  std::string sku;
  int on_hand = 0;
  int64_t price_minor = 0;
  auto print_levels = [&](const auto& levels) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : levels) {
      rows.push_back({l.sku(), absl::StrCat(l.on_hand()), absl::StrCat(l.reserved()),
                      absl::StrCat(l.available()), Money(l.unit_price()), l.product_id(), l.size()});
    }
    PrintTable({"SKU", "ON HAND", "RESERVED", "AVAILABLE", "UNIT PRICE", "PRODUCT", "SIZE"}, rows);
  };
  auto* inventory_set = inventory->add_subcommand("set", "set one SKU's stock and price");
  inventory_set->add_option("--sku", sku)->required();
  inventory_set->add_option("--on-hand", on_hand)->required();
  inventory_set->add_option("--price-minor", price_minor, "unit price in minor units")->required();
  inventory_set->add_option("--currency", currency)->capture_default_str();
  std::string product_id, size;
  int size_rank = 0;
  inventory_set->add_option("--product", product_id, "the product the SKU is a variant of (kept when omitted)");
  inventory_set->add_option("--size", size, "the variant's size, e.g. M or 42 (kept when omitted)");
  inventory_set->add_option("--size-rank", size_rank, "its place in the size order, for sizes not in XXS..3XL or numbers");
  inventory_set->callback([&] {
    auto stub = v1::InventoryService::NewStub(channel());
    v1::SetInventoryLevelsRequest request;
    request.set_request_id(request_id);
    auto* level = request.add_levels();
    level->set_sku(sku);
    level->set_on_hand(on_hand);
    level->mutable_unit_price()->set_currency_code(currency);
    level->mutable_unit_price()->set_amount_minor(price_minor);
    level->set_product_id(product_id);
    level->set_size(size);
    level->set_size_rank(size_rank);
    v1::SetInventoryLevelsResponse response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->SetInventoryLevels(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : print_levels(response.levels());
  });
  auto* inventory_get = inventory->add_subcommand("get", "show one SKU's stock");
  inventory_get->add_option("sku", sku)->required();
  inventory_get->callback([&] {
    auto stub = v1::InventoryService::NewStub(channel());
    v1::GetInventoryLevelRequest request;
    request.set_sku(sku);
    v1::InventoryLevel response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->GetInventoryLevel(c, request, &response); });
    if (rc == 0) g.json ? PrintJson(response) : print_levels(std::vector<v1::InventoryLevel>{response});
  });
  auto* inventory_list = inventory->add_subcommand("list", "list stock levels");
  inventory_list->add_option("--page-token", page_token);
  inventory_list->callback([&] {
    auto stub = v1::InventoryService::NewStub(channel());
    v1::ListInventoryLevelsRequest request;
    request.set_page_size(200);
    request.set_page_token(page_token);
    v1::ListInventoryLevelsResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->ListInventoryLevels(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    print_levels(response.levels());
    if (!response.next_page_token().empty()) std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  });

  // key create | list | revoke; merchant create (decisions: returnsctl_claims.cc)
  auto* key = cli.add_subcommand("key", "create, list and revoke API keys (ADMIN keys)")->require_subcommand(1);
  std::string role_name, display_name, key_id;
  auto* key_create = key->add_subcommand("create", "create an API key; its secret is shown once");
  key_create->add_option("--role", role_name, "STOREFRONT, SUPPORT, ADMIN or CARRIER")->required();
  key_create->add_option("--name", display_name, "a name to tell keys apart");
  key_create->callback([&] {
    v1::ApiKeyRole role;
    if (!v1::ApiKeyRole_Parse("API_KEY_ROLE_" + role_name, &role)) {
      std::cerr << "error: --role is STOREFRONT, SUPPORT, ADMIN or CARRIER\n";
      rc = 2;
      return;
    }
    auto stub = v1::AdminService::NewStub(channel());
    v1::CreateApiKeyRequest request;
    request.set_request_id(request_id);
    request.set_role(role);
    request.set_display_name(display_name);
    v1::CreateApiKeyResponse response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->CreateApiKey(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::cout << "key_id: " << response.api_key().key_id() << "\nrole: " << role_name
              << "\nkey: " << response.secret() << "\n(store the key now: it cannot be shown again)\n";
  });
  auto* key_list = key->add_subcommand("list", "list API keys (never their secrets)");
  key_list->callback([&] {
    auto stub = v1::AdminService::NewStub(channel());
    v1::ListApiKeysRequest request;
    request.set_page_size(200);
    v1::ListApiKeysResponse response;
    rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub->ListApiKeys(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : response.api_keys()) {
      rows.push_back({k.key_id(), v1::ApiKeyRole_Name(k.role()).substr(13), k.display_name(),
                      Time(k.create_time()), Time(k.revoke_time())});
    }
    PrintTable({"KEY_ID", "ROLE", "NAME", "CREATED", "REVOKED"}, rows);
  });
  auto* key_revoke = key->add_subcommand("revoke", "revoke an API key at once, on every replica");
  key_revoke->add_option("key_id", key_id)->required();
  key_revoke->callback([&] {
    auto stub = v1::AdminService::NewStub(channel());
    v1::RevokeApiKeyRequest request;
    request.set_request_id(request_id);
    request.set_key_id(key_id);
    v1::ApiKey response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->RevokeApiKey(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::cout << "revoked " << response.key_id() << " at " << Time(response.revoke_time()) << "\n";
  });
  auto* merchant = cli.add_subcommand("merchant", "merchants (operator ADMIN keys)")->require_subcommand(1);
  auto* merchant_create = merchant->add_subcommand("create", "create a merchant and its first ADMIN key");
  merchant_create->add_option("--name", display_name)->required();
  merchant_create->callback([&] {
    auto stub = v1::AdminService::NewStub(channel());
    v1::CreateMerchantRequest request;
    request.set_request_id(request_id);
    request.set_display_name(display_name);
    v1::CreateMerchantResponse response;
    rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub->CreateMerchant(c, request, &response); });
    if (rc != 0) return;
    if (g.json) return PrintJson(response);
    std::cout << "merchant_id: " << response.merchant_id() << "\nadmin_key_id: "
              << response.admin_key().key_id() << "\nadmin_key: " << response.admin_key_secret()
              << "\n(store the key now: it cannot be shown again)\n";
  });
  AddOrchestrationCommands(cli, *ret, Command{g, request_id, rc, channel});
  AddClaimCommands(cli, Command{g, request_id, rc, channel});
  AddPolicyCommands(cli, Command{g, request_id, rc, channel});
  AddKpiCommands(cli, Command{g, request_id, rc, channel});
  AddCallCommand(cli, Command{g, request_id, rc, channel});
  AddCompletionCommand(cli, Command{g, request_id, rc, channel});

  CLI11_PARSE(cli, argc, argv);
  return rc;
}
