#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/common/idempotency.h"
#include "app/orders/lock_order_lines.h"
#include "app/claims/claims_use_cases.h"
#include "app/common/paid_money_inputs.h"
#include "domain/claim_rules.h"
#include "domain/errors.h"
#include "storage/claim_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

// One of the order's own parcels as FileClaim reads it.
struct Parcel {
  std::string shipment_id;
  ParcelTracking tracking;
  std::map<std::string, int32_t> contents;  // order_line_id -> units
};

std::vector<Parcel> OrderParcels(storage::Tx& tx, const std::string& merchant_id,
                                 const std::string& order_id) {
  std::vector<Parcel> parcels;
  for (storage::OrderParcelRow& row : storage::ClaimStore(tx).OrderParcels(merchant_id, order_id)) {
    Parcel p;
    p.shipment_id = row.shipment_id;
    if (row.promise_time_us) p.tracking.promise_time = absl::FromUnixMicros(*row.promise_time_us);
    if (row.delivered_time_us) {
      p.tracking.delivered_time = absl::FromUnixMicros(*row.delivered_time_us);
    }
    p.contents = std::move(row.contents);
    parcels.push_back(std::move(p));
  }
  return parcels;
}

bool HoldsEveryLine(const Parcel& parcel, const v1::FileClaimRequest& request) {
  for (const auto& line : request.lines()) {
    auto it = parcel.contents.find(line.order_line_id());
    if (it == parcel.contents.end() || it->second < line.quantity()) return false;
  }
  return true;
}

// The parcel the claim is about: the one named, else the order's only parcel, else the oldest
// parcel holding every claimed line.
absl::StatusOr<Parcel> ChooseParcel(const std::vector<Parcel>& parcels,
                                    const v1::FileClaimRequest& request) {
  if (parcels.empty()) {
    return PreconditionError(reason::kOrderNotShipped,
                             "the order has no parcel to claim about: attach its shipments with "
                             "UpsertOrder first",
                             {{"field", "order_id"}});
  }
  if (!request.shipment_id().empty()) {
    for (const Parcel& p : parcels) {
      if (p.shipment_id == request.shipment_id()) return p;
    }
    return InvalidField("shipment_id", "is not one of this order's parcels");
  }
  if (parcels.size() == 1) return parcels.front();
  for (const Parcel& p : parcels) {
    if (HoldsEveryLine(p, request)) return p;
  }
  return InvalidField("shipment_id",
                      "no single parcel of the order holds every claimed line: name the parcel");
}

}  // namespace

absl::Status FileClaim(const AppContext& app, CallContext& call,
                       const v1::FileClaimRequest& request, v1::Claim* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::ClaimStore claims(tx);
    const std::optional<storage::OrderClaimSnapshot> order =
        claims.OrderForClaim(call.merchant_id, request.order_id());
    if (!order.has_value()) return NotFoundError("order", request.order_id());
    const std::string customer_id = order->customer_id;
    const std::string currency = order->currency_code;
    // The same locks, in the same order, as CreateReturn: units are covered once.
    const std::vector<OrderLineSnapshot> lines =
        LockOrderLines(tx, call.merchant_id, request.order_id());
    // The customer's claim count is a rule input: one of their claims is decided at a time.
    claims.LockCustomerClaims(call.merchant_id, customer_id);
    auto parcel = ChooseParcel(OrderParcels(tx, call.merchant_id, request.order_id()), request);
    if (!parcel.ok()) return parcel.status();
    absl::Time now;
    const ClaimPolicy policy = LoadClaimPolicy(tx, call.merchant_id, &now);

    // Units of the parcel other claims cover already.
    std::map<std::string, int32_t> claimed_in_parcel;
    for (const storage::ClaimedInParcelRow& row :
         claims.ClaimedInParcel(call.merchant_id, parcel->shipment_id)) {
      claimed_in_parcel[row.order_line_id] = row.claimed_quantity;
    }
    std::map<std::string, const OrderLineSnapshot*> by_id;
    for (const auto& line : lines) by_id[line.line_id] = &line;
    nlohmann::json claim_lines = nlohmann::json::array();
    int64_t value = 0;
    for (int i = 0; i < request.lines_size(); ++i) {
      const v1::ClaimLine& wanted = request.lines(i);
      const std::string at = absl::StrCat("lines[", i, "]");
      auto it = by_id.find(wanted.order_line_id());
      if (it == by_id.end()) {
        return InvalidField(at + ".order_line_id",
                            absl::StrCat("the order has no line \"", wanted.order_line_id(), "\""));
      }
      const OrderLineSnapshot& line = *it->second;
      auto in_parcel = parcel->contents.find(line.line_id);
      if (in_parcel == parcel->contents.end()) {
        return PreconditionError(
            reason::kOrderNotShipped,
            absl::StrCat(at, ": the line was not in parcel ", parcel->shipment_id),
            {{"field", at + ".order_line_id"}});
      }
      const int32_t open = line.quantity - line.returned_quantity - line.claimed_quantity;
      const int32_t claimable = std::min(open, in_parcel->second - claimed_in_parcel[line.line_id]);
      if (wanted.quantity() > claimable) {
        return PreconditionError(
            reason::kClaimQuantityExceeded,
            absl::StrCat(at, ".quantity: ", wanted.quantity(), " claimed but only ", claimable,
                         " can be (", in_parcel->second, " in the parcel, ",
                         claimed_in_parcel[line.line_id], " of them claimed, ",
                         line.returned_quantity, " in returns, ", line.claimed_quantity,
                         " in other claims, of ", line.quantity, " bought)"),
            {{"field", at + ".quantity"}, {"claimable_quantity", absl::StrCat(claimable)}});
      }
      // What the customer paid for the claimed units, as a return of them would take it.
      const UnitsShare paid = ShareOfUnits(RemainderOf(line), wanted.quantity());
      value += paid.paid_minor;
      claim_lines.push_back({{"position", i},
                             {"order_line_id", line.line_id},
                             {"sku", line.sku},
                             {"quantity", wanted.quantity()},
                             {"unit_price_minor", line.unit_price_minor},
                             {"paid_minor", paid.paid_minor},
                             {"tax_minor", paid.tax_minor}});
    }
    if (absl::Status s = CheckClaimWindow(request.type(), parcel->tracking, policy, now); !s.ok()) {
      return s;
    }
    const std::string claim_id = claims.InsertClaim(
        call.merchant_id, request.order_id(), parcel->shipment_id, EnumText(request.type()),
        request.description(), customer_id, currency, value, claim_lines.dump());
    RecordClaimTransition(
        tx, call, request.order_id(), claim_id, event_type::kClaimFiled,
        absl::StrCat(EnumText(request.type()), " claim filed for parcel ", parcel->shipment_id));
    AdjudicateClaimNow(app, tx, call, claim_id, /*back_to_review=*/false);
    *response = LoadClaim(tx, call.merchant_id, claim_id);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
