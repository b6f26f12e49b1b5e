#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/common/app_context.h"
#include "returns/v1/money.pb.h"
#include "returns/v1/money_movement.pb.h"
#include "storage/transaction.h"

// The steps every money movement takes (docs/money.md, "Money movements"), inside the caller's
// transaction: requested once per subject and kind, each change on the order's timeline and in
// the change feed.
namespace returns::app {

struct MovementRequest {
  std::string order_id;
  v1::MoneyMovementKind kind = v1::MONEY_MOVEMENT_KIND_UNSPECIFIED;
  std::string currency_code;
  int64_t amount_minor = 0;
  std::string subject;  // "returns/{id}", "claims/{id}", "exchange_tokens/{id}"
  // REFUND and CLAIM_REFUND: the policy's refund_tender_order; the refund is split over the
  // order's tenders (locked) and what each gets counts as refunded to it.
  std::vector<v1::TenderKind> tender_order;
  std::string summary;  // why, for the timeline
  // A gift return's store credit: its recipient (GiftRecipient as proto JSON), not the buyer.
  std::optional<std::string> recipient_json;
};

// Requests the movement (nothing for an amount of zero) and writes money_movement.requested.
// nullopt when the amount is zero or the subject's movement of this kind was requested before
// (a movement is requested at most once).
std::optional<v1::MoneyMovement> RequestMoneyMovement(storage::Tx& tx, const CallContext& call,
                                                      const MovementRequest& request);

// Moves a locked movement to `next` with `event_type` and `summary` on the timeline; a
// cancelled refund gives its tender shares back, a failed refund, claim refund or store credit
// escalates to a person (a money_movement_failure decision). The caller checked the transition.
v1::MoneyMovement MoveMoneyMovement(storage::Tx& tx, const CallContext& call,
                                    const v1::MoneyMovement& movement, v1::MoneyMovementState next,
                                    const std::string& external_reference,
                                    const std::string& failure_reason, bool new_attempt,
                                    const std::string& event_type, const std::string& summary);

// The movement locked for a change of state; a collateral charge's token is locked first (the
// lock order of every token writer: token, then its movement). nullopt without the movement.
std::optional<v1::MoneyMovement> LockMovementForChange(storage::Tx& tx, const CallContext& call,
                                                       const std::string& movement_id);

// "exchange_tokens/<id>" -> "<id>"; "" for another subject.
std::string TokenIdOfSubject(const std::string& subject);

// "money_movements/{id}": the subject of a money_movement_failure decision.
std::string MovementSubject(const std::string& collection, const std::string& id);

}  // namespace returns::app
