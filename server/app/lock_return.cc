#include "app/lock_return.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/rows.h"

namespace returns::app {

absl::StatusOr<LockedReturn> LockReturn(storage::Tx& tx, const std::string& merchant_id,
                                        const std::string& return_id, const std::string& etag) {
  auto rows = tx.Exec("returns/lock_return", merchant_id, return_id);
  if (rows.empty()) return NotFoundError("return", return_id);
  LockedReturn locked;
  locked.state = ParseReturnState(rows[0][0].as<std::string>()).value_or(v1::RETURN_STATE_UNSPECIFIED);
  locked.etag = absl::StrCat("\"", rows[0][1].as<int64_t>(), "\"");
  locked.order_id = rows[0][2].as<std::string>();
  if (!etag.empty() && etag != locked.etag) {
    return ErrorWithReason(absl::StatusCode::kAborted, reason::kEtagMismatch,
                           "the return changed since it was read; read it again",
                           {{"etag", locked.etag}});
  }
  return locked;
}

absl::Status RequireReturnState(const LockedReturn& locked, v1::ReturnState expected,
                                const std::string& action) {
  if (locked.state == expected) return absl::OkStatus();
  return PreconditionError(reason::kInvalidState,
                           absl::StrCat("return is ", ReturnStateName(locked.state), "; only a ",
                                        ReturnStateName(expected), " return can be ", action),
                           {{"state", std::string(ReturnStateName(locked.state))}});
}

v1::Return LoadReturn(storage::Tx& tx, const std::string& merchant_id, const std::string& return_id) {
  return storage::ReturnFromRow(tx.Exec("returns/get_return", merchant_id, return_id)[0]);
}

}  // namespace returns::app
