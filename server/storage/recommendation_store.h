#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/transaction.h"

namespace returns::storage {

// recommendations/exchange_counts.sql: how often a reason's returns of a SKU were settled as
// an exchange for another SKU.
struct ExchangeCountRow {
  std::string sku;
  std::string reason;
  std::string replacement_sku;
  int64_t exchanges = 0;
};

// recommendations/order_line_products.sql: an order line that names a product, with the size
// bought (its variant attribute "size", any case; '' when none).
struct OrderLineProduct {
  std::string line_id;
  std::string sku;
  std::string product_id;
  std::string size;
};

// recommendations/product_variants.sql: a catalogue variant of a product.
struct ProductVariantRow {
  std::string product_id;
  std::string sku;
  std::string size;
  int32_t size_rank = 0;
  bool in_stock = false;  // stock a token or shipment could take now
};

// The statements of storage/sql/recommendations/, with their rows read by column name.
class RecommendationStore {
 public:
  explicit RecommendationStore(Tx& tx) : tx_(tx) {}

  // recommendations/exchange_counts.sql: the settled exchanges of `skus_json` (a JSON array)
  // for `reasons_json` (a JSON array).
  std::vector<ExchangeCountRow> ExchangeCounts(const std::string& merchant_id,
                                               const std::string& skus_json,
                                               const std::string& reasons_json);
  // recommendations/learn_exchanges.sql: counts the return's accepted exchange lines into the
  // model.
  void LearnExchanges(const std::string& merchant_id, const std::string& return_id);
  // recommendations/order_line_products.sql: the order's lines that name a product.
  std::vector<OrderLineProduct> OrderLineProducts(const std::string& merchant_id,
                                                  const std::string& order_id);
  // recommendations/product_variants.sql: the variants of `product_ids_json` (a JSON array),
  // by product and SKU.
  std::vector<ProductVariantRow> ProductVariants(const std::string& merchant_id,
                                                 const std::string& product_ids_json);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
