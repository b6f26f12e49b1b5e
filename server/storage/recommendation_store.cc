#include "storage/recommendation_store.h"

namespace returns::storage {

std::vector<ExchangeCountRow> RecommendationStore::ExchangeCounts(const std::string& merchant_id,
                                                                  const std::string& skus_json,
                                                                  const std::string& reasons_json) {
  std::vector<ExchangeCountRow> counts;
  for (const auto& row :
       tx_.Exec(sql::kRecommendationsExchangeCounts, merchant_id, skus_json, reasons_json)) {
    ExchangeCountRow count;
    count.sku = row["sku"].as<std::string>();
    count.reason = row["reason"].as<std::string>();
    count.replacement_sku = row["replacement_sku"].as<std::string>();
    count.exchanges = row["exchanges"].as<int64_t>();
    counts.push_back(std::move(count));
  }
  return counts;
}

void RecommendationStore::LearnExchanges(const std::string& merchant_id,
                                         const std::string& return_id) {
  tx_.Exec(sql::kRecommendationsLearnExchanges, merchant_id, return_id);
}

std::vector<OrderLineProduct> RecommendationStore::OrderLineProducts(const std::string& merchant_id,
                                                                     const std::string& order_id) {
  std::vector<OrderLineProduct> lines;
  for (const auto& row : tx_.Exec(sql::kRecommendationsOrderLineProducts, merchant_id, order_id)) {
    OrderLineProduct line;
    line.line_id = row["line_id"].as<std::string>();
    line.sku = row["sku"].as<std::string>();
    line.product_id = row["product_id"].as<std::string>();
    line.size = row["size"].as<std::string>();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<ProductVariantRow> RecommendationStore::ProductVariants(
    const std::string& merchant_id, const std::string& product_ids_json) {
  std::vector<ProductVariantRow> variants;
  for (const auto& row :
       tx_.Exec(sql::kRecommendationsProductVariants, merchant_id, product_ids_json)) {
    ProductVariantRow variant;
    variant.product_id = row["product_id"].as<std::string>();
    variant.sku = row["sku"].as<std::string>();
    variant.size = row["size"].as<std::string>();
    variant.size_rank = row["size_rank"].as<int32_t>();
    variant.in_stock = row["in_stock"].as<bool>();
    variants.push_back(std::move(variant));
  }
  return variants;
}

}  // namespace returns::storage
