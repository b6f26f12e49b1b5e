#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/auto_approve_return.h"
#include "app/idempotency.h"
#include "app/lock_return.h"
#include "app/lock_order_lines.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/return_rules.h"
#include "domain/return_state_machine.h"
#include "google/protobuf/util/time_util.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

std::string LinesJson(const v1::CreateReturnRequest& request) {
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
                     {"replacement_sku", l.replacement_sku()}});
  }
  return lines.dump();
}

}  // namespace

absl::Status CreateReturn(const AppContext& app, CallContext& call,
                          const v1::CreateReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, "CreateReturn", request, response, [&](storage::Tx& tx) {
    auto order = tx.Exec("orders/get_return_window", call.merchant_id, request.order_id());
    if (order.empty()) return NotFoundError("order", request.order_id());
    std::optional<absl::Time> delivered;
    if (!order[0][0].is_null()) delivered = absl::FromUnixMicros(order[0][0].as<int64_t>());
    std::vector<std::string> final_sale_skus;
    for (const auto& sku : nlohmann::json::parse(order[0][2].as<std::string>())) {
      final_sale_skus.push_back(sku.get<std::string>());
    }
    if (absl::Status s = CheckReturnWindow(delivered, order[0][1].as<int>(), absl::Now()); !s.ok()) {
      return s;
    }
    std::vector<OrderLineSnapshot> lines = LockOrderLines(tx, call.merchant_id, request.order_id());
    if (absl::Status s = CheckReturnQuantities(lines, final_sale_skus, request.lines()); !s.ok()) {
      return s;
    }
    auto created = tx.Exec("returns/insert_return", call.merchant_id, request.order_id(),
                           LinesJson(request));
    response->set_return_id(created[0][0].as<std::string>());
    response->set_order_id(request.order_id());
    response->set_state(v1::RETURN_STATE_REQUESTED);
    *response->mutable_lines() = request.lines();
    for (auto& line : *response->mutable_lines()) line.clear_condition();
    *response->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(created[0][1].as<int64_t>());
    *response->mutable_update_time() = response->create_time();
    response->set_etag("\"1\"");
    int units = 0;
    for (const auto& line : request.lines()) units += line.quantity();
    RecordTransition(tx, call,
                     Transition{request.order_id(), "return", response->return_id(),
                                "return.requested", std::string(ReturnStateName(response->state())),
                                absl::StrCat("Return requested for ", units, " unit(s) on ",
                                             request.lines_size(), " line(s)"),
                                response});
    if (AutoApproveReturn(app, tx, call, request.order_id(), response->return_id())) {
      *response = LoadReturn(tx, call.merchant_id, response->return_id());
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
