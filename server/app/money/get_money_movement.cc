#include "app/money/money_use_cases.h"
#include "domain/errors.h"
#include "storage/money_movement_store.h"

namespace returns::app {

absl::Status GetMoneyMovement(const AppContext& app, CallContext& call,
                              const v1::GetMoneyMovementRequest& request,
                              v1::MoneyMovement* response) {
  return storage::RunTransaction(*app.pool, "GetMoneyMovement", call.deadline,
                                 [&](storage::Tx& tx) {
                                   std::optional<v1::MoneyMovement> movement =
                                       storage::MoneyMovementStore(tx).GetMoneyMovement(
                                           call.merchant_id, request.movement_id());
                                   if (!movement)
                                     return NotFoundError("money movement", request.movement_id());
                                   *response = *std::move(movement);
                                   return absl::OkStatus();
                                 });
}

}  // namespace returns::app
