#include "storage/money_movement_store.h"

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "google/protobuf/util/json_util.h"
#include "storage/field_reading.h"

namespace returns::storage {
namespace {

// The first page's position: before every movement (the statement casts it to uuid even when
// the time says "first page").
constexpr char kNoMovement[] = "ffffffff-ffff-ffff-ffff-ffffffffffff";

// A row of any money_movements/ statement.
v1::MoneyMovement MovementFromRow(const pqxx::row& row) {
  v1::MoneyMovement movement;
  movement.set_movement_id(row["movement_id"].as<std::string>());
  movement.set_order_id(row["order_id"].as<std::string>());
  movement.set_kind(EnumFromName<v1::MoneyMovementKind>(row["kind"].as<std::string>()));
  movement.set_state(EnumFromName<v1::MoneyMovementState>(row["state"].as<std::string>()));
  const std::string currency = row["currency_code"].as<std::string>();
  movement.mutable_amount()->set_currency_code(currency);
  movement.mutable_amount()->set_amount_minor(row["amount_minor"].as<int64_t>());
  // Stored as a JSON array of TenderShare in proto JSON (it parses back into the message).
  v1::MoneyMovement tenders;
  const std::string wrapped = absl::StrCat("{\"tenders\":", row["tenders"].as<std::string>(), "}");
  if (google::protobuf::util::JsonStringToMessage(wrapped, &tenders).ok()) {
    *movement.mutable_tenders() = tenders.tenders();
  }
  movement.set_subject(row["subject"].as<std::string>());
  movement.set_attempt(row["attempt"].as<int32_t>());
  movement.set_idempotency_key(absl::StrCat(movement.movement_id(), ":", movement.attempt()));
  movement.set_external_reference(row["external_reference"].as<std::string>());
  movement.set_failure_reason(row["failure_reason"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return movement.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return movement.mutable_update_time(); });
  SetMicros(row["outcome_time_us"], [&] { return movement.mutable_outcome_time(); });
  if (!row["recipient"].is_null()) {
    (void)google::protobuf::util::JsonStringToMessage(row["recipient"].as<std::string>(),
                                                      movement.mutable_recipient());
  }
  return movement;
}

std::optional<v1::MoneyMovement> FirstRow(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return MovementFromRow(rows[0]);
}

}  // namespace

std::optional<v1::MoneyMovement> MoneyMovementStore::InsertMoneyMovement(
    const std::string& merchant_id, const std::string& order_id, v1::MoneyMovementKind kind,
    const std::string& currency_code, int64_t amount_minor, const std::string& tenders_json,
    const std::string& subject, const std::optional<std::string>& recipient_json) {
  return FirstRow(tx_.Exec(sql::kMoneyMovementsInsertMoneyMovement, merchant_id, order_id,
                           EnumText(kind), currency_code, amount_minor, tenders_json, subject,
                           recipient_json));
}

std::optional<v1::MoneyMovement> MoneyMovementStore::GetMoneyMovement(
    const std::string& merchant_id, const std::string& movement_id) {
  return FirstRow(tx_.Exec(sql::kMoneyMovementsGetMoneyMovement, merchant_id, movement_id));
}

std::optional<v1::MoneyMovement> MoneyMovementStore::LockMoneyMovement(
    const std::string& merchant_id, const std::string& movement_id) {
  return FirstRow(tx_.Exec(sql::kMoneyMovementsLockMoneyMovement, merchant_id, movement_id));
}

std::optional<v1::MoneyMovement> MoneyMovementStore::LockMoneyMovementOfSubject(
    const std::string& merchant_id, const std::string& subject, v1::MoneyMovementKind kind) {
  return FirstRow(tx_.Exec(sql::kMoneyMovementsLockMoneyMovementOfSubject, merchant_id, subject,
                           EnumText(kind)));
}

std::vector<v1::MoneyMovement> MoneyMovementStore::ListMoneyMovements(
    const std::string& merchant_id, const std::string& order_id, const std::string& state,
    int64_t before_create_time_us, const std::string& before_movement_id, int limit) {
  std::vector<v1::MoneyMovement> movements;
  for (const auto& row : tx_.Exec(
           sql::kMoneyMovementsListMoneyMovements, merchant_id, order_id, state,
           before_create_time_us,
           before_movement_id.empty() ? std::string(kNoMovement) : before_movement_id, limit)) {
    movements.push_back(MovementFromRow(row));
  }
  return movements;
}

v1::MoneyMovement MoneyMovementStore::SetMoneyMovementState(
    const std::string& merchant_id, const std::string& movement_id, v1::MoneyMovementState state,
    const std::string& external_reference, const std::string& failure_reason, bool new_attempt) {
  return MovementFromRow(tx_.Exec(sql::kMoneyMovementsSetMoneyMovementState, merchant_id,
                                  movement_id, EnumText(state), external_reference, failure_reason,
                                  new_attempt)[0]);
}

}  // namespace returns::storage
