#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/return_state_machine.h"
#include "storage/return_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetReturn(const AppContext& app, const CallContext& call,
                       const v1::GetReturnRequest& request, v1::Return* response) {
  return storage::RunTransaction(*app.pool, "GetReturn", call.deadline, [&](storage::Tx& tx) {
    std::optional<v1::Return> found =
        storage::ReturnStore(tx).GetReturn(call.merchant_id, request.return_id());
    if (!found) return NotFoundError("return", request.return_id());
    *response = *std::move(found);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
