#pragma once

// What every returnsctl command shares: global options, calling with retries, printing.
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "returns/v1/exchange_token.pb.h"
#include "returns/v1/order.pb.h"
#include "returns/v1/return.pb.h"
#include "returns_client.h"
#include "table.h"

namespace returns::client {

using google::protobuf::util::TimeUtil;

struct Globals {
  ClientOptions options;
  bool json = false;
  double timeout_seconds = 10;
};

inline std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return TimeUtil::ToString(t).substr(0, 19) + "Z";
}

// "12.34 EUR", "-0.64 EUR" (a cost per return may be negative: fees above costs).
inline std::string Money(const v1::Money& m) {
  const int64_t amount = m.amount_minor();
  const uint64_t magnitude = amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  return absl::StrCat(amount < 0 ? "-" : "", magnitude / 100, ".", magnitude % 100 < 10 ? "0" : "", magnitude % 100,
                      " ", m.currency_code());
}

inline void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  std::cout << text;
}

// Runs a call; mutations are retried with the same request_id while the answer says it is safe.
template <typename Call>
inline int Invoke(const Globals& g, bool mutation, Call call) {
  // The client library's retries (returns_client.h): the same request, so the same request_id,
  // on every attempt; a mutation is tried up to five times, a read up to three.
  RetryPolicy policy;
  policy.max_attempts = mutation ? 5 : 3;
  grpc::Status status = CallWithRetries(g.options, policy, call);
  if (!status.ok()) {
    // The message may quote what a client sent (a name, an id): escaped like any server text.
    std::cerr << "error: " << TerminalSafe(DescribeError(status)) << "\n";
    ErrorDetails details = ParseErrorDetails(status);
    if (!details.field.empty()) std::cerr << "field: " << TerminalSafe(details.field) << "\n";
    return 1;
  }
  return 0;
}

inline void PrintOrder(const v1::Order& order) {
  std::cout << "order " << order.order_id() << "  customer " << order.customer_id()
            << "  delivered " << Time(order.delivered_time()) << "  etag " << order.etag() << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : order.lines()) {
    rows.push_back({l.line_id(), l.sku(), l.title(), absl::StrCat(l.quantity()),
                    absl::StrCat(l.returned_quantity()), Money(l.unit_price())});
  }
  PrintTable({"LINE", "SKU", "TITLE", "QTY", "RETURNED", "UNIT PRICE"}, rows);
}

inline void PrintToken(const v1::ExchangeToken& t) {
  std::cout << "exchange token " << t.exchange_token_id() << "  state "
            << v1::ExchangeTokenState_Name(t.state()).substr(21) << "\n"
            << "  return " << t.return_id() << " line " << t.order_line_id() << " -> "
            << t.quantity() << " x " << t.replacement_sku() << "\n"
            << "  upsell due " << Money(t.upsell_amount_due()) << "  downsell credit "
            << Money(t.downsell_credit()) << "  charge if not returned " << Money(t.charge_amount())
            << "\n  expires " << Time(t.expire_time()) << "  charge deadline "
            << Time(t.charge_deadline()) << "\n";
}

inline void PrintReturn(const v1::Return& r) {
  std::cout << "return " << r.return_id() << "  order " << r.order_id() << "  state "
            << v1::ReturnState_Name(r.state()).substr(13) << "  created " << Time(r.create_time())
            << "  etag " << r.etag() << "\n";
  if (r.has_risk()) {
    std::cout << "risk " << r.risk().score_milli() << "/1000 (" << r.risk().model_version() << ")";
    if (r.risk().factors_size() > 0) std::cout << ": " << TerminalSafe(r.risk().factors(0).explanation());
    std::cout << "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : r.lines()) {
    rows.push_back({l.order_line_id(), absl::StrCat(l.quantity()),
                    v1::ReturnReason_Name(l.reason()).substr(14),
                    v1::Resolution_Name(l.resolution()).substr(11),
                    l.replacement_sku().empty() ? "-" : l.replacement_sku()});
  }
  PrintTable({"LINE", "QTY", "REASON", "RESOLUTION", "REPLACEMENT"}, rows);
  if (r.state() == v1::RETURN_STATE_RESOLVED) {
    std::cout << "resolved " << Time(r.resolve_time()) << ": refund " << Money(r.refund_total())
              << ", store credit " << Money(r.store_credit_total()) << ", fees kept "
              << Money(r.fees_total()) << "\n";
  }
}

// A settlement plan (PreviewReturn, Return.plan): each line and the totals.
inline void PrintPlan(const v1::SettlementPlan& p) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : p.lines()) {
    rows.push_back({l.order_line_id(), std::to_string(l.quantity()),
                    v1::Resolution_Name(l.resolution()).substr(11), Money(l.unit_price()), Money(l.refund()),
                    Money(l.store_credit()), Money(l.restocking_fee()), Money(l.upsell_amount_due()),
                    Money(l.downsell_credit())});
  }
  PrintTable({"LINE", "QTY", "RESOLUTION", "PRICE", "REFUND", "CREDIT", "RESTOCKING", "UPSELL", "DOWNSELL"}, rows);
  std::cout << "refund " << Money(p.refund_total()) << " (after return shipping fee "
            << Money(p.return_shipping_fee()) << ")  store credit " << Money(p.store_credit_total())
            << "  fees " << Money(p.fees_total()) << "  upsell due " << Money(p.upsell_total())
            << "  downsell credit " << Money(p.downsell_total()) << "  (policy version "
            << p.policy_version() << ")\n";
}

// What a command's callback needs from main(): the options, the request_id of a mutation,
// the exit code to set and a channel to the server.
struct Command {
  Globals& g;
  std::string& request_id;
  int& rc;
  std::function<std::shared_ptr<grpc::Channel>()> channel;
};

// return approve | reject | resolve, label, shipments, sandbox, jobs (returnsctl_orchestration.cc).
void AddOrchestrationCommands(CLI::App& cli, CLI::App& return_command, Command command);

// claim file | show | list | queue | review, evidence download, decisions [list] | override
// (returnsctl_claims.cc).
void AddClaimCommands(CLI::App& cli, Command command);

// policy show | set | history (returnsctl_policy.cc).
void AddPolicyCommands(CLI::App& cli, Command command);

// kpis (returnsctl_kpis.cc).
void AddKpiCommands(CLI::App& cli, Command command);

// call SERVICE/METHOD -d JSON (returnsctl_call.cc).
void AddCallCommand(CLI::App& cli, Command command);

// completion bash (returnsctl_completion.cc); added last, so it sees every other command.
void AddCompletionCommand(CLI::App& cli, Command command);

}  // namespace returns::client
