#include "app/money/request_money_movement.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/common/paid_money_inputs.h"
#include "common/enum_text.h"
#include "domain/event_types.h"
#include "domain/paid_money.h"
#include "google/protobuf/util/json_util.h"
#include "storage/exchange_token_store.h"
#include "storage/money_movement_store.h"
#include "storage/order_store.h"

namespace returns::app {
namespace {

bool SplitOverTendersKind(v1::MoneyMovementKind kind) {
  return kind == v1::MONEY_MOVEMENT_KIND_REFUND || kind == v1::MONEY_MOVEMENT_KIND_CLAIM_REFUND;
}

// What a person is asked to look at when the payment system could not pay the customer.
bool EscalatesWhenFailed(v1::MoneyMovementKind kind) {
  return kind == v1::MONEY_MOVEMENT_KIND_REFUND || kind == v1::MONEY_MOVEMENT_KIND_CLAIM_REFUND ||
         kind == v1::MONEY_MOVEMENT_KIND_STORE_CREDIT ||
         kind == v1::MONEY_MOVEMENT_KIND_DOWNSELL_CREDIT;
}

// The shares as stored (money_movements.tenders, proto JSON) and as add_refunded_to_payments.sql
// reads them.
std::string TendersJson(const google::protobuf::RepeatedPtrField<v1::TenderShare>& shares) {
  nlohmann::json stored = nlohmann::json::array();
  for (const v1::TenderShare& share : shares) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(share, &json);
    stored.push_back(nlohmann::json::parse(json));
  }
  return stored.dump();
}

std::string RefundedJson(const google::protobuf::RepeatedPtrField<v1::TenderShare>& shares) {
  nlohmann::json refunded = nlohmann::json::array();
  for (const v1::TenderShare& share : shares) {
    refunded.push_back(
        {{"payment_id", share.payment_id()}, {"amount_minor", share.amount().amount_minor()}});
  }
  return refunded.dump();
}

std::string AmountText(const v1::MoneyMovement& movement) {
  return absl::StrCat(movement.amount().amount_minor(), " ", movement.amount().currency_code(),
                      " minor units");
}

void RecordMovementTransition(storage::Tx& tx, const CallContext& call,
                              const v1::MoneyMovement& movement, const std::string& event_type,
                              const std::string& summary) {
  RecordTransition(tx, call,
                   Transition{movement.order_id(), "money_movement", movement.movement_id(),
                              event_type, EnumText(movement.state()), summary, &movement});
}

}  // namespace

std::optional<v1::MoneyMovement> LockMovementForChange(storage::Tx& tx, const CallContext& call,
                                                       const std::string& movement_id) {
  storage::MoneyMovementStore movements(tx);
  const std::optional<v1::MoneyMovement> peek =
      movements.GetMoneyMovement(call.merchant_id, movement_id);
  if (!peek) return std::nullopt;
  if (peek->kind() == v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE) {
    (void)storage::ExchangeTokenStore(tx).LockExchangeToken(call.merchant_id,
                                                            TokenIdOfSubject(peek->subject()));
  }
  return movements.LockMoneyMovement(call.merchant_id, movement_id);
}

std::string TokenIdOfSubject(const std::string& subject) {
  constexpr absl::string_view kPrefix = "exchange_tokens/";
  return absl::StartsWith(subject, kPrefix) ? subject.substr(kPrefix.size()) : std::string();
}

std::string MovementSubject(const std::string& collection, const std::string& id) {
  return absl::StrCat(collection, "/", id);
}

std::optional<v1::MoneyMovement> RequestMoneyMovement(storage::Tx& tx, const CallContext& call,
                                                      const MovementRequest& request) {
  if (request.amount_minor <= 0) return std::nullopt;
  google::protobuf::RepeatedPtrField<v1::TenderShare> shares;
  storage::OrderStore orders(tx);
  if (SplitOverTendersKind(request.kind)) {
    const TenderSplit split = SplitOverTenders(
        request.amount_minor,
        TenderBalancesOf(orders.LockOrderPayments(call.merchant_id, request.order_id)),
        request.tender_order, request.currency_code);
    for (const v1::TenderShare& share : split.shares) *shares.Add() = share;
  }
  std::optional<v1::MoneyMovement> movement = storage::MoneyMovementStore(tx).InsertMoneyMovement(
      call.merchant_id, request.order_id, request.kind, request.currency_code, request.amount_minor,
      TendersJson(shares), request.subject, request.recipient_json);
  if (!movement) return std::nullopt;
  if (!shares.empty()) {
    orders.AddRefundedToPayments(call.merchant_id, request.order_id, RefundedJson(shares), 1);
  }
  std::string split_text;
  for (const v1::TenderShare& share : shares) {
    absl::StrAppend(&split_text, split_text.empty() ? " to " : ", ", EnumText(share.kind()), " ",
                    share.payment_id(), " ", share.amount().amount_minor());
  }
  RecordMovementTransition(
      tx, call, *movement, event_type::kMoneyMovementRequested,
      absl::StrCat(EnumText(request.kind), " of ", AmountText(*movement), " requested", split_text,
                   request.summary.empty() ? "" : ": ", request.summary));
  return movement;
}

v1::MoneyMovement MoveMoneyMovement(storage::Tx& tx, const CallContext& call,
                                    const v1::MoneyMovement& movement, v1::MoneyMovementState next,
                                    const std::string& external_reference,
                                    const std::string& failure_reason, bool new_attempt,
                                    const std::string& event_type, const std::string& summary) {
  v1::MoneyMovement moved = storage::MoneyMovementStore(tx).SetMoneyMovementState(
      call.merchant_id, movement.movement_id(), next, external_reference, failure_reason,
      new_attempt);
  if (next == v1::MONEY_MOVEMENT_STATE_CANCELLED && !movement.tenders().empty()) {
    storage::OrderStore(tx).AddRefundedToPayments(call.merchant_id, movement.order_id(),
                                                  RefundedJson(movement.tenders()), -1);
  }
  RecordMovementTransition(tx, call, moved, event_type, summary);
  if (next == v1::MONEY_MOVEMENT_STATE_FAILED && EscalatesWhenFailed(movement.kind())) {
    DecisionRecord decision;
    decision.kind = DecisionKind::kMoneyMovementFailure;
    decision.subject = MovementSubject("money_movements", movement.movement_id());
    decision.inputs = {{"movement_id", movement.movement_id()},
                       {"kind", EnumText(movement.kind())},
                       {"amount_minor", movement.amount().amount_minor()},
                       {"currency_code", movement.amount().currency_code()},
                       {"attempt", moved.attempt()},
                       {"failure_reason", failure_reason}};
    decision.rule_version = "money-movement/1";
    decision.outcome = "ESCALATED";
    decision.reasons = {absl::StrCat(
        "the payment system could not move ", AmountText(movement),
        failure_reason.empty() ? "" : absl::StrCat(" (", failure_reason, ")"),
        ": a person retries it (override APPROVED, or RetryMoneyMovement) or gives it up "
        "(override DENIED, or CancelMoneyMovement)")};
    RecordDecision(tx, call, decision);
  }
  return moved;
}

}  // namespace returns::app
