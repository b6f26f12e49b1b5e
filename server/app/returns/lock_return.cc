#include "app/returns/lock_return.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/return_store.h"
#include "common/enum_text.h"

namespace returns::app {

absl::StatusOr<LockedReturn> LockReturn(storage::Tx& tx, const std::string& merchant_id,
                                        const std::string& return_id, const std::string& etag) {
  const std::optional<storage::LockedReturnRow> row =
      storage::ReturnStore(tx).LockReturn(merchant_id, return_id);
  if (!row) return NotFoundError("return", return_id);
  LockedReturn locked;
  locked.state = ParseEnum<v1::ReturnState>(row->state).value_or(v1::RETURN_STATE_UNSPECIFIED);
  locked.etag = absl::StrCat("\"", row->version, "\"");
  locked.order_id = row->order_id;
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
                           absl::StrCat("return is ", EnumText(locked.state), "; only a ",
                                        EnumText(expected), " return can be ", action),
                           {{"state", EnumText(locked.state)}});
}

v1::Return LoadReturn(storage::Tx& tx, const std::string& merchant_id,
                      const std::string& return_id) {
  // Every caller has just locked or created the return, so it is there.
  return storage::ReturnStore(tx).GetReturn(merchant_id, return_id).value();
}

}  // namespace returns::app
