#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

#include "app/app_context.h"
#include "returns/v1/exchange_token.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// Moves a locked token to `next` (the caller asked the state machine), writes its timeline event
// and change-feed row, and returns it as it is now.
v1::ExchangeToken MoveExchangeToken(storage::Tx& tx, const CallContext& call,
                                    const std::string& token_id, const std::string& order_id,
                                    v1::ExchangeTokenState next, const std::string& event_type,
                                    const std::string& summary);

// The change-feed event that tells the payment system to refund a charge: the token's original
// came back after all.
void RecordChargeRefundDue(storage::Tx& tx, const CallContext& call, const v1::ExchangeToken& token);

// Settles a locked token whose original was accepted, with `summary` on the timeline; if its
// charge went through meanwhile, the feed also says the charge is to be refunded.
void SettleExchangeToken(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         const std::string& order_id, const std::string& summary);

// Raises the charge of a locked token (-> CHARGE_DUE) and writes "exchange_token.charge_due",
// whose summary is `why` followed by the amount: the payment system charges, then reports.
void RaiseExchangeTokenCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why);

// Gives reservations back, SKU by SKU in sorted order (every multi-SKU writer of inventory
// locks rows in SKU order, so they never deadlock each other).
void ReleaseReservations(storage::Tx& tx, const std::string& merchant_id,
                         const std::map<std::string, int32_t>& quantity_by_sku);

// For a return being withdrawn (cancelled or rejected): its unredeemed tokens are revoked and
// their reservations released, with `summary` on the timeline. A redeemed token means the
// replacement is out and the original must come back: FAILED_PRECONDITION
// EXCHANGE_IN_PROGRESS, and nothing is changed.
absl::Status RevokeTokensWithReturn(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                                    const std::string& order_id, const std::string& summary);

// The first carrier scan of a return's original: its redeemed tokens (also CHARGE_DUE, CHARGED
// or CHARGE_FAILED ones) become IN_TRANSIT, so no charge is raised for them. Runs inside the
// caller's transaction; returns how many tokens moved. Carrier events will call it; until then
// the tests do.
int MarkOriginalsInTransit(storage::Tx& tx, const CallContext& call, const std::string& return_id);

}  // namespace returns::app
