#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_transition.h"
#include "app/logistics/shipment_events.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/return_state_machine.h"
#include "domain/shipment_rules.h"
#include "google/protobuf/util/time_util.h"
#include "storage/exchange_token_store.h"
#include "storage/order_store.h"
#include "storage/return_store.h"
#include "storage/shipment_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

// The return follows its label's parcel: the first scan (or an exception report: the carrier
// has the parcel) puts it and its redeemed exchange tokens IN_TRANSIT, delivery puts it
// DELIVERED. A return that moved on already (received, or ended) stays where it is, and so do
// its tokens.
void MoveReturnWithParcel(storage::Tx& tx, const CallContext& call, const LockedReturn& ret,
                          const std::string& return_id, v1::ShipmentState parcel) {
  if (!AwaitsOriginal(ret.state)) return;
  MarkOriginalsInTransit(tx, call, return_id);
  const v1::ReturnState next = parcel == v1::SHIPMENT_STATE_DELIVERED ? v1::RETURN_STATE_DELIVERED
                                                                      : v1::RETURN_STATE_IN_TRANSIT;
  if (!IsReturnTransitionAllowed(ret.state, next)) return;
  storage::ReturnStore(tx).SetReturnState(call.merchant_id, return_id, EnumText(next));
  v1::Return moved = LoadReturn(tx, call.merchant_id, return_id);
  RecordTransition(tx, call,
                   Transition{ret.order_id, "return", return_id,
                              next == v1::RETURN_STATE_IN_TRANSIT ? event_type::kReturnInTransit
                                                                  : event_type::kReturnDelivered,
                              EnumText(next),
                              next == v1::RETURN_STATE_IN_TRANSIT
                                  ? "The carrier scanned the return parcel"
                                  : "The return parcel was delivered to the warehouse",
                              &moved});
}

// The event a carrier scan writes when it moves a shipment to `state` (ShipmentStateForEvent).
const char* ShipmentEventType(v1::ShipmentState state) {
  switch (state) {
    case v1::SHIPMENT_STATE_IN_TRANSIT:
      return event_type::kShipmentInTransit;
    case v1::SHIPMENT_STATE_EXCEPTION:
      return event_type::kShipmentException;
    case v1::SHIPMENT_STATE_DELIVERED:
      return event_type::kShipmentDelivered;
    default:
      throw std::logic_error("a carrier scan moved a shipment to " + EnumText(state));
  }
}

// How the timeline names a parcel, by what it is for (shipments/lock_shipment.sql's purpose).
std::string ParcelName(bool inbound, const std::string& purpose) {
  if (purpose == "ORDER") return "Order parcel ";
  if (purpose == "RESHIP") return "Reship parcel ";
  return inbound ? "Return parcel " : "Replacement parcel ";
}

v1::CarrierEventOutcome RecordOne(storage::Tx& tx, const CallContext& call,
                                  const v1::CarrierEvent& event, std::string* shipment_id) {
  storage::ShipmentStore shipments(tx);
  const std::optional<storage::TrackedShipment> found =
      shipments.FindShipmentByTracking(call.merchant_id, event.carrier(), event.tracking_number());
  if (!found) return v1::CARRIER_EVENT_OUTCOME_UNKNOWN_TRACKING_NUMBER;
  *shipment_id = found->shipment_id;
  const std::string return_id = found->return_id;
  // Lock order everywhere: the return, then its shipments.
  std::optional<LockedReturn> ret;
  if (!return_id.empty()) {
    auto locked = LockReturn(tx, call.merchant_id, return_id);
    if (locked.ok()) ret = *locked;
    // Its tokens too, before the change feed: a scan may move them (MarkOriginalsInTransit), and
    // token writers take token -> change feed.
    storage::ExchangeTokenStore(tx).LockLiveTokensOfReturn(call.merchant_id, return_id);
  }
  // Found above in this transaction: it is there.
  const storage::LockedShipment shipment =
      shipments.LockShipment(call.merchant_id, *shipment_id).value();
  const auto current =
      ParseEnum<v1::ShipmentState>(shipment.state).value_or(v1::SHIPMENT_STATE_UNSPECIFIED);
  const bool inbound = shipment.direction == "INBOUND";
  const v1::ShipmentState next = ShipmentStateForEvent(event.code());
  const bool moves = CarrierEventMovesShipment(current, next);
  const int64_t event_us = TimeUtil::TimestampToMicroseconds(event.event_time());
  const bool inserted = shipments.InsertCarrierEvent(
      call.merchant_id, event.carrier(), event.event_id(), event.tracking_number(), *shipment_id,
      EnumText(event.code()), event_us, event.location(), moves ? "APPLIED" : "RECORDED");
  if (!inserted) return v1::CARRIER_EVENT_OUTCOME_DUPLICATE;
  if (!moves) return v1::CARRIER_EVENT_OUTCOME_RECORDED;
  shipments.ApplyCarrierEvent(call.merchant_id, *shipment_id, EnumText(next), event_us);
  RecordShipmentTransition(
      tx, call, *shipment_id, ShipmentEventType(next),
      absl::StrCat(ParcelName(inbound, shipment.purpose), event.tracking_number(), ": ",
                   EnumText(event.code()),
                   event.location().empty() ? "" : absl::StrCat(" at ", event.location())));
  if (inbound && ret) MoveReturnWithParcel(tx, call, *ret, return_id, next);
  if (next == v1::SHIPMENT_STATE_DELIVERED && shipment.purpose == "ORDER") {
    const std::string order_id = shipment.order_id;
    storage::OrderStore orders(tx);
    if (orders.SetDeliveredFromParcel(call.merchant_id, order_id, event_us)) {
      // The update just returned the order, so it is there.
      const v1::Order order = orders.GetOrder(call.merchant_id, order_id).value();
      RecordTransition(
          tx, call,
          Transition{order_id, "order", order_id, event_type::kOrderDelivered, "DELIVERED",
                     "Order delivered (its parcel's DELIVERED scan): the return window opens",
                     &order});
    }
  }
  return v1::CARRIER_EVENT_OUTCOME_APPLIED;
}

}  // namespace

absl::Status RecordCarrierEvents(const AppContext& app, CallContext& call,
                                 const v1::RecordCarrierEventsRequest& request,
                                 v1::RecordCarrierEventsResponse* response) {
  // Events apply parcel by parcel in the carrier's time order, so a batch that arrives shuffled
  // moves each shipment as the carrier saw it; the results keep the request's order.
  std::vector<int> order(request.events_size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const auto& x = request.events(a);
    const auto& y = request.events(b);
    return std::forward_as_tuple(x.carrier(), x.tracking_number(), x.event_time().seconds(),
                                 x.event_time().nanos()) <
           std::forward_as_tuple(y.carrier(), y.tracking_number(), y.event_time().seconds(),
                                 y.event_time().nanos());
  });
  response->Clear();
  for (const auto& event : request.events())
    response->add_results()->set_event_id(event.event_id());
  // One transaction per event: a transaction holds at most one return's and one shipment's locks
  // at a time, so batches never deadlock with approvals, receipts or each other. If a call fails
  // midway, resending the batch is safe: what was recorded answers DUPLICATE.
  for (int index : order) {
    std::string shipment_id;
    v1::CarrierEventOutcome outcome = v1::CARRIER_EVENT_OUTCOME_UNSPECIFIED;
    absl::Status status = storage::RunTransaction(
        *app.pool, "RecordCarrierEvents", call.deadline, [&](storage::Tx& tx) {
          shipment_id.clear();
          outcome = RecordOne(tx, call, request.events(index), &shipment_id);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    response->mutable_results(index)->set_outcome(outcome);
    response->mutable_results(index)->set_shipment_id(shipment_id);
  }
  return absl::OkStatus();
}

}  // namespace returns::app
