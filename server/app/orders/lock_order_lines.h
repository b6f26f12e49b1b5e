#pragma once

#include <string>
#include <vector>

#include "domain/return_rules.h"
#include "storage/transaction.h"

namespace returns::app {

// Locks every line of the order (orders/lock_order_lines.sql) and returns them for the rules.
// Every use case that changes returned quantities takes these locks first, in the same order.
// With `with_references`, also which lines any return references, read after the locks are held
// (a second statement, so returns committed while waiting are seen).
std::vector<OrderLineSnapshot> LockOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id,
                                              bool with_references = false);

// The same lines without locks, for reads that change nothing (PreviewReturn).
std::vector<OrderLineSnapshot> ReadOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id);

}  // namespace returns::app
