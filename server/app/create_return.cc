#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/auto_approve_return.h"
#include "app/decision_effects.h"
#include "app/idempotency.h"
#include "app/lock_return.h"
#include "app/lock_order_lines.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_rules.h"
#include "domain/return_state_machine.h"
#include "common/proto_json.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {


// What each line promises, computed when the return is created and stored with it: the order
// line's unit price and, for an exchange, the quote (domain QuoteExchange, the same code an
// exchange token uses).
struct LineTerms {
  int64_t unit_price_minor = 0;
  int64_t replacement_unit_minor = 0;
  int64_t upsell_minor = 0;
  int64_t downsell_minor = 0;
};

// The terms of every requested line, in request order. An exchange needs its replacement priced
// in this merchant's stock, in the order's currency (FAILED_PRECONDITION naming the line's
// replacement_sku otherwise).
absl::StatusOr<std::vector<LineTerms>> PriceLines(storage::Tx& tx, const std::string& merchant_id,
                                                  const std::string& currency,
                                                  const std::vector<OrderLineSnapshot>& order_lines,
                                                  const v1::CreateReturnRequest& request) {
  std::map<std::string, int64_t> unit_price;
  for (const auto& line : order_lines) unit_price[line.line_id] = line.unit_price_minor;
  nlohmann::json skus = nlohmann::json::array();
  for (const auto& line : request.lines()) {
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) skus.push_back(line.replacement_sku());
  }
  std::map<std::string, std::pair<std::string, int64_t>> replacement;  // sku -> currency, price
  if (!skus.empty()) {
    for (const auto& row : tx.Exec("inventory/replacement_prices", merchant_id, skus.dump())) {
      replacement[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<int64_t>()};
    }
  }
  std::vector<LineTerms> terms;
  for (int i = 0; i < request.lines_size(); ++i) {
    const v1::ReturnLine& line = request.lines(i);
    LineTerms t;
    t.unit_price_minor = unit_price[line.order_line_id()];
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
      const std::string field = absl::StrCat("lines[", i, "].replacement_sku");
      auto found = replacement.find(line.replacement_sku());
      if (found == replacement.end()) {
        return PreconditionError(reason::kReplacementNotPriced,
                                 absl::StrCat("the replacement ", line.replacement_sku(),
                                              " has no price in this merchant's stock "
                                              "(InventoryService.SetInventoryLevels)"),
                                 {{"field", field}, {"sku", line.replacement_sku()}});
      }
      if (found->second.first != currency) {
        return PreconditionError(reason::kCurrencyMismatch,
                                 absl::StrCat("the replacement is priced in ", found->second.first,
                                              ", the order in ", currency),
                                 {{"field", field}});
      }
      t.replacement_unit_minor = found->second.second;
      auto quote = QuoteExchange(t.unit_price_minor, t.replacement_unit_minor, line.quantity());
      if (!quote.ok()) return quote.status();
      t.upsell_minor = quote->upsell_minor;
      t.downsell_minor = quote->downsell_minor;
    }
    terms.push_back(t);
  }
  return terms;
}

std::string LinesJson(const v1::CreateReturnRequest& request, const std::vector<LineTerms>& terms) {
  nlohmann::json lines = nlohmann::json::array();
  for (int i = 0; i < request.lines_size(); ++i) {
    const v1::ReturnLine& l = request.lines(i);
    // Enum names without their prefix: RETURN_REASON_TOO_SMALL -> TOO_SMALL.
    lines.push_back({{"position", i},
                     {"order_line_id", l.order_line_id()},
                     {"quantity", l.quantity()},
                     {"reason", v1::ReturnReason_Name(l.reason()).substr(14)},
                     {"reason_note", l.reason_note()},
                     {"resolution", v1::Resolution_Name(l.resolution()).substr(11)},
                     {"replacement_sku", l.replacement_sku()},
                     {"unit_price_minor", terms[i].unit_price_minor},
                     {"replacement_unit_minor", terms[i].replacement_unit_minor},
                     {"upsell_minor", terms[i].upsell_minor},
                     {"downsell_minor", terms[i].downsell_minor}});
  }
  return lines.dump();
}

// Records (once per request_id, in a transaction of its own: the refused call changed nothing) a
// return_eligibility decision ESCALATED with the request, and names it in the refusal.
absl::Status EscalateLateReturn(const AppContext& app, const CallContext& call,
                                const v1::CreateReturnRequest& request, absl::Status refusal) {
  auto request_json = ProtoToJson(request);
  if (!request_json.ok()) return refusal;
  const std::string subject = absl::StrCat("orders/", request.order_id());
  const auto metadata = MetadataOf(refusal);
  const nlohmann::json inputs = {{"request_id", call.request_id},
                                 {"request", *request_json},
                                 {"window_days", metadata.count("window_days") ? metadata.at("window_days") : ""},
                                 {"window_close_time", metadata.count("window_close_time")
                                                           ? metadata.at("window_close_time") : ""}};
  const nlohmann::json reasons = {
      absl::StrCat(refusal.message(), ": the return waits for a support agent (OverrideDecision)")};
  std::string decision_id;
  absl::Status recorded = storage::RunTransaction(*app.pool, "EscalateLateReturn", call.deadline, [&](storage::Tx& tx) {
    decision_id = tx.Exec("decisions/insert_decision_once", call.merchant_id, std::string("return_eligibility"),
                          subject, inputs.dump(), std::string("return-window/1"), std::string("ESCALATED"),
                          reasons.dump(), call.request_id)[0][0].as<std::string>();
    return absl::OkStatus();
  });
  if (!recorded.ok()) return refusal;
  absl::Status escalated = PreconditionError(
      reason::kReturnWindowClosed,
      absl::StrCat(refusal.message(), "; a support agent can still approve it (decision ", decision_id, ")"),
      {{"window_days", inputs["window_days"].get<std::string>()},
       {"window_close_time", inputs["window_close_time"].get<std::string>()},
       {"decision_id", decision_id}});
  return escalated;
}

}  // namespace

absl::Status CreateReturnInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
                              const v1::CreateReturnRequest& request, v1::Return* response,
                              bool outside_window_allowed) {
  {
    auto order = tx.Exec("orders/get_return_window", call.merchant_id, request.order_id());
    if (order.empty()) return NotFoundError("order", request.order_id());
    std::optional<absl::Time> delivered;
    if (!order[0][0].is_null()) delivered = absl::FromUnixMicros(order[0][0].as<int64_t>());
    std::vector<std::string> final_sale_skus;
    for (const auto& sku : nlohmann::json::parse(order[0][2].as<std::string>())) {
      final_sale_skus.push_back(sku.get<std::string>());
    }
    // The window is judged by the database's clock, like every other deadline.
    if (absl::Status s = CheckReturnWindow(delivered, order[0][1].as<int>(),
                                           absl::FromUnixMicros(order[0][4].as<int64_t>()));
        !s.ok() && !(outside_window_allowed && ReasonOf(s) == reason::kReturnWindowClosed)) {
      return s;
    }
    const std::string currency = order[0][3].as<std::string>();
    OrchestrationPolicy policy;
    policy.auto_approve_max_minor = order[0][5].as<int64_t>();
    policy.default_carrier = order[0][6].as<std::string>();
    policy.restocking_fee_minor = order[0][7].as<int64_t>();
    policy.return_shipping_fee_minor = order[0][8].as<int64_t>();
    std::vector<OrderLineSnapshot> lines = LockOrderLines(tx, call.merchant_id, request.order_id());
    if (absl::Status s = CheckReturnQuantities(lines, final_sale_skus, request.lines()); !s.ok()) {
      return s;
    }
    auto terms = PriceLines(tx, call.merchant_id, currency, lines, request);
    if (!terms.ok()) return terms.status();
    int64_t upsell = 0;
    int64_t downsell = 0;
    for (const LineTerms& t : *terms) {
      if (__builtin_add_overflow(upsell, t.upsell_minor, &upsell) ||
          __builtin_add_overflow(downsell, t.downsell_minor, &downsell)) {
        return absl::OutOfRangeError("the exchange quote overflows");
      }
    }
    auto created = tx.Exec("returns/insert_return", call.merchant_id, request.order_id(),
                           LinesJson(request, *terms), currency, upsell, downsell);
    const std::string return_id = created[0][0].as<std::string>();
    *response = LoadReturn(tx, call.merchant_id, return_id);
    int units = 0;
    for (const auto& line : request.lines()) units += line.quantity();
    RecordTransition(tx, call,
                     Transition{request.order_id(), "return", response->return_id(),
                                "return.requested", std::string(ReturnStateName(response->state())),
                                absl::StrCat("Return requested for ", units, " unit(s) on ",
                                             request.lines_size(), " line(s)"),
                                response});
    if (AutoApproveReturn(app, tx, call, policy, request.order_id(), response->return_id())) {
      *response = LoadReturn(tx, call.merchant_id, response->return_id());
    }
    return absl::OkStatus();
  }
}

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response) {
  absl::Status status = RunIdempotent(app, call, "CreateReturn", request, response, [&](storage::Tx& tx) {
    return CreateReturnInTx(app, tx, call, request, response, /*outside_window_allowed=*/false);
  });
  if (ReasonOf(status) != reason::kReturnWindowClosed) return status;
  // Automation does not deny a refund on its own: the refusal is also an escalation a support
  // agent can override (OverrideDecision), which creates and approves this very return.
  return EscalateLateReturn(app, call, request, status);
}

}  // namespace returns::app
