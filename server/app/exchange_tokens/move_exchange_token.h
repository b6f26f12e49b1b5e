#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

#include "app/common/app_context.h"
#include "returns/v1/exchange_token.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// Moves a locked token to `next` (the caller asked the state machine), writes its timeline event
// and change-feed row, and returns it as it is now.
v1::ExchangeToken MoveExchangeToken(storage::Tx& tx, const CallContext& call,
                                    const std::string& token_id, const std::string& order_id,
                                    v1::ExchangeTokenState next, const std::string& event_type,
                                    const std::string& summary);

// The change-feed event that tells the payment system to refund a collected charge: the token's
// original came back after all. Written at most once per token (charge_refund_requested).
void RecordChargeRefundDue(storage::Tx& tx, const CallContext& call,
                           const v1::ExchangeToken& token);

// Settles a locked token whose original was accepted, with `summary` on the timeline; if its
// charge went through meanwhile, the feed also says the charge is to be refunded (once).
void SettleExchangeToken(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         const std::string& order_id, const std::string& summary);

// The original of a locked, redeemed token will not come back as it should (no scan by the
// charge deadline, lost in transit, or withheld at resolution): the customer pays for the
// replacement. A token raises at most one charge over its life:
//  - no charge raised yet: CHARGE_DUE and "exchange_token.charge_due", whose summary is `why`
//    and the amount (the payment system charges, then reports);
//  - a charge raised before: no new charge. The token takes the state of that charge
//    (CHARGE_DUE while its outcome is awaited, CHARGED, or CHARGE_FAILED, which only
//    RetryExchangeTokenCharge raises again) with "exchange_token.charge_reinstated".
// Returns true when a new charge was raised.
bool ChargeForOriginal(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                       const std::string& why);

// Raises the charge of a locked CHARGE_FAILED token once more (RetryExchangeTokenCharge).
v1::ExchangeToken RetryCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why);

// Gives reservations back, SKU by SKU in sorted order (every multi-SKU writer of inventory
// locks rows in SKU order, so they never deadlock each other). Call it before the transaction's
// first change-feed write: the one lock order is return -> tokens -> stock -> change feed.
void ReleaseReservations(storage::Tx& tx, const std::string& merchant_id,
                         const std::map<std::string, int32_t>& quantity_by_sku);

// For a return being withdrawn (cancelled or rejected): its unredeemed tokens are revoked and
// their reservations released, with `summary` on the timeline. A redeemed token means the
// replacement is out and the original must come back: FAILED_PRECONDITION
// EXCHANGE_IN_PROGRESS, and nothing is changed.
absl::Status RevokeTokensWithReturn(storage::Tx& tx, const CallContext& call,
                                    const std::string& return_id, const std::string& order_id,
                                    const std::string& summary);

// A carrier scan of a return's original: its REDEEMED tokens become IN_TRANSIT and their transit
// deadline starts. A token whose charge fell due before the original was ever scanned (CHARGE_DUE,
// CHARGED or CHARGE_FAILED with no transit deadline) moves too: the original shows up late, and a
// receipt will settle it. A token that was already scanned once stays where it is. Runs inside
// the caller's transaction; returns how many tokens moved.
int MarkOriginalsInTransit(storage::Tx& tx, const CallContext& call, const std::string& return_id);

// Locks, right after the return, what a transaction may change of the return's exchanges: its
// live tokens, then the stock rows of its replacement SKUs (SKU order). Called before the
// transaction's first change-feed write, so every writer takes return -> tokens -> stock ->
// change feed in that order and none deadlocks another.
void LockReturnExchanges(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& return_id);

}  // namespace returns::app
