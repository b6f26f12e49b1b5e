#include "storage/inventory_store.h"

#include <pqxx/row>

#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;

// A row of get_inventory_level.sql, list_inventory_levels.sql or set_inventory_levels.sql.
v1::InventoryLevel InventoryLevelFromRow(const pqxx::row& row) {
  v1::InventoryLevel level;
  level.set_sku(row["sku"].as<std::string>());
  level.set_on_hand(row["on_hand"].as<int32_t>());
  level.set_reserved(row["reserved"].as<int32_t>());
  level.set_available(level.on_hand() - level.reserved());
  level.mutable_unit_price()->set_currency_code(row["currency_code"].as<std::string>());
  level.mutable_unit_price()->set_amount_minor(row["unit_price_minor"].as<int64_t>());
  // A NULL time stays absent from the message (mutable_update_time() would mark it present).
  if (!row["update_time_us"].is_null()) {
    *level.mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(row["update_time_us"].as<int64_t>());
  }
  level.set_product_id(row["product_id"].as<std::string>());
  level.set_size(row["size"].as<std::string>());
  level.set_size_rank(row["size_rank"].as<int32_t>());
  return level;
}

}  // namespace

std::optional<v1::InventoryLevel> InventoryStore::GetInventoryLevel(const std::string& merchant_id,
                                                                    const std::string& sku) {
  auto rows = tx_.Exec(sql::kInventoryGetInventoryLevel, merchant_id, sku);
  if (rows.empty()) return std::nullopt;
  return InventoryLevelFromRow(rows[0]);
}

bool InventoryStore::IsTracked(const std::string& merchant_id, const std::string& sku) {
  return !tx_.Exec(sql::kInventoryIsTracked, merchant_id, sku).empty();
}

std::vector<v1::InventoryLevel> InventoryStore::ListInventoryLevels(const std::string& merchant_id,
                                                                    const std::string& after_sku,
                                                                    int limit) {
  std::vector<v1::InventoryLevel> levels;
  for (const auto& row :
       tx_.Exec(sql::kInventoryListInventoryLevels, merchant_id, after_sku, limit)) {
    levels.push_back(InventoryLevelFromRow(row));
  }
  return levels;
}

std::vector<LockedInventoryLevel> InventoryStore::LockInventoryLevels(
    const std::string& merchant_id, const std::string& skus_json) {
  std::vector<LockedInventoryLevel> levels;
  for (const auto& row : tx_.Exec(sql::kInventoryLockInventoryLevels, merchant_id, skus_json)) {
    levels.push_back(
        LockedInventoryLevel{row["sku"].as<std::string>(), row["reserved"].as<int32_t>()});
  }
  return levels;
}

void InventoryStore::LockReturnStock(const std::string& merchant_id, const std::string& return_id) {
  tx_.Exec(sql::kInventoryLockReturnStock, merchant_id, return_id);
}

std::vector<ReplacementPrice> InventoryStore::ReplacementPrices(const std::string& merchant_id,
                                                                const std::string& skus_json) {
  std::vector<ReplacementPrice> prices;
  for (const auto& row : tx_.Exec(sql::kInventoryReplacementPrices, merchant_id, skus_json)) {
    prices.push_back(ReplacementPrice{row["sku"].as<std::string>(),
                                      row["currency_code"].as<std::string>(),
                                      row["unit_price_minor"].as<int64_t>()});
  }
  return prices;
}

std::vector<v1::InventoryLevel> InventoryStore::SetInventoryLevels(const std::string& merchant_id,
                                                                   const std::string& levels_json) {
  std::vector<v1::InventoryLevel> levels;
  for (const auto& row : tx_.Exec(sql::kInventorySetInventoryLevels, merchant_id, levels_json)) {
    levels.push_back(InventoryLevelFromRow(row));
  }
  return levels;
}

bool InventoryStore::TakeStock(const std::string& merchant_id, const std::string& sku,
                               int32_t quantity) {
  return !tx_.Exec(sql::kInventoryTakeStock, merchant_id, sku, quantity).empty();
}

}  // namespace returns::storage
