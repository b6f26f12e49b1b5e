#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/inventory.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// inventory/lock_inventory_levels.sql: a stock row, locked, with what tokens hold of it.
struct LockedInventoryLevel {
  std::string sku;
  int32_t reserved = 0;
};

// inventory/replacement_prices.sql: the current price of a replacement SKU.
struct ReplacementPrice {
  std::string sku;
  std::string currency_code;
  int64_t unit_price_minor = 0;
};

// The statements of storage/sql/inventory/, with their rows read by column name. (Reserving,
// allocating and releasing a token's stock are exchange_tokens/ statements: ExchangeTokenStore.)
class InventoryStore {
 public:
  explicit InventoryStore(Tx& tx) : tx_(tx) {}

  // get_inventory_level.sql: the SKU's level; nullopt when the SKU is not tracked.
  std::optional<v1::InventoryLevel> GetInventoryLevel(const std::string& merchant_id,
                                                      const std::string& sku);
  // is_tracked.sql: whether the service keeps stock for the SKU.
  bool IsTracked(const std::string& merchant_id, const std::string& sku);
  // list_inventory_levels.sql: up to `limit` levels after the SKU `after_sku`, by SKU.
  std::vector<v1::InventoryLevel> ListInventoryLevels(const std::string& merchant_id,
                                                      const std::string& after_sku, int limit);
  // lock_inventory_levels.sql: the existing levels of `skus_json` (a JSON array of SKUs),
  // locked in SKU order.
  std::vector<LockedInventoryLevel> LockInventoryLevels(const std::string& merchant_id,
                                                        const std::string& skus_json);
  // lock_return_stock.sql: locks the stock rows of the return's replacement SKUs (SKU order).
  void LockReturnStock(const std::string& merchant_id, const std::string& return_id);
  // replacement_prices.sql: the prices of the SKUs of `skus_json` (a JSON array) kept here.
  std::vector<ReplacementPrice> ReplacementPrices(const std::string& merchant_id,
                                                  const std::string& skus_json);
  // set_inventory_levels.sql: the levels as written, in SKU order; `levels_json` is a JSON
  // array of {sku, on_hand, currency_code, unit_price_minor, product_id, size, size_rank}.
  std::vector<v1::InventoryLevel> SetInventoryLevels(const std::string& merchant_id,
                                                     const std::string& levels_json);
  // take_stock.sql: false when not enough is available or the SKU is not tracked here.
  bool TakeStock(const std::string& merchant_id, const std::string& sku, int32_t quantity);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
