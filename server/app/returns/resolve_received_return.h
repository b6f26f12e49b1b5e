#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "app/common/app_context.h"
#include "returns/v1/return.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// Resolves a RECEIVED return the caller holds locked (PRODUCT.md 4.5, docs/lifecycle.md):
// computes each line's refund or store credit (domain/resolution.h) with the policy's fees,
// settles the exchange lines (a redeemed token SETTLED; a line whose replacement has not gone
// out gets an outbound fulfillment request now), marks the return RESOLVED and writes
// "return.resolved" plus, when money is due, "return.refund_requested" /
// "return.store_credit_requested" for the payment system. It runs once per return, inside the
// RECEIVED -> RESOLVED transition, so a refund is requested exactly once. Lines in `withheld`
// pay out nothing. `how` says who resolved it, for the timeline. The caller took
// LockReturnExchanges before its first change-feed write (the one lock order).
absl::StatusOr<v1::Return> ResolveReceivedReturn(storage::Tx& tx, const CallContext& call,
                                                 const std::string& order_id,
                                                 const std::string& return_id,
                                                 const std::set<std::string>& withheld,
                                                 const std::string& how);

}  // namespace returns::app
