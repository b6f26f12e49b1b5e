#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/money_movement.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// The statements of storage/sql/money_movements/ (every refund, credit and charge asked of the
// payment system, docs/money.md), with their rows read by column name.
class MoneyMovementStore {
 public:
  explicit MoneyMovementStore(Tx& tx) : tx_(tx) {}

  // money_movements/insert_money_movement.sql: the new movement, REQUESTED; nullopt when the
  // subject's movement of this kind was requested before (each is requested at most once).
  std::optional<v1::MoneyMovement> InsertMoneyMovement(
      const std::string& merchant_id, const std::string& order_id, v1::MoneyMovementKind kind,
      const std::string& currency_code, int64_t amount_minor, const std::string& tenders_json,
      const std::string& subject, const std::optional<std::string>& recipient_json);
  // money_movements/get_money_movement.sql: nullopt when there is none.
  std::optional<v1::MoneyMovement> GetMoneyMovement(const std::string& merchant_id,
                                                    const std::string& movement_id);
  // money_movements/lock_money_movement.sql: the movement locked FOR UPDATE; nullopt without it.
  std::optional<v1::MoneyMovement> LockMoneyMovement(const std::string& merchant_id,
                                                     const std::string& movement_id);
  // money_movements/lock_money_movement_of_subject.sql: the subject's movement of `kind`,
  // locked; nullopt when it was never requested.
  std::optional<v1::MoneyMovement> LockMoneyMovementOfSubject(const std::string& merchant_id,
                                                              const std::string& subject,
                                                              v1::MoneyMovementKind kind);
  // money_movements/list_money_movements.sql: a page, newest first, before the position
  // (create time 0: the first page); '' filters match all.
  std::vector<v1::MoneyMovement> ListMoneyMovements(
      const std::string& merchant_id, const std::string& order_id, const std::string& state,
      int64_t before_create_time_us, const std::string& before_movement_id, int limit);
  // money_movements/set_money_movement_state.sql: the movement after the change.
  v1::MoneyMovement SetMoneyMovementState(const std::string& merchant_id,
                                          const std::string& movement_id,
                                          v1::MoneyMovementState state,
                                          const std::string& external_reference,
                                          const std::string& failure_reason, bool new_attempt);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
