#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/common/app_context.h"
#include "returns/v1/return.pb.h"
#include "storage/transaction.h"

namespace returns::app {

// A return locked for a state change.
struct LockedReturn {
  v1::ReturnState state = v1::RETURN_STATE_UNSPECIFIED;
  std::string etag;
  std::string order_id;
};

// Locks the return; NOT_FOUND when the merchant has no such return, ABORTED ETAG_MISMATCH when
// `etag` is set and stale.
absl::StatusOr<LockedReturn> LockReturn(storage::Tx& tx, const std::string& merchant_id,
                                        const std::string& return_id, const std::string& etag = "");

// FAILED_PRECONDITION INVALID_STATE naming the current state unless it is `expected`.
absl::Status RequireReturnState(const LockedReturn& locked, v1::ReturnState expected,
                                const std::string& action);

// The return as it is now, inside the caller's transaction.
v1::Return LoadReturn(storage::Tx& tx, const std::string& merchant_id,
                      const std::string& return_id);

}  // namespace returns::app
