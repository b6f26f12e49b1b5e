#include "app/exchange_tokens/recommend_replacements.h"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "domain/exchange_recommender.h"
#include "common/enum_text.h"
#include "storage/recommendation_store.h"

namespace returns::app {
namespace {

constexpr size_t kPerReason = 3;

std::string ReasonName(v1::ReturnReason reason) { return EnumText(reason); }

}  // namespace

std::map<std::string, std::vector<v1::VariantRecommendation>> RecommendReplacementsForOrder(
    storage::Tx& tx, const std::string& merchant_id, const std::string& order_id,
    const std::vector<v1::ReturnReason>& reasons) {
  using Line = storage::OrderLineProduct;
  storage::RecommendationStore store(tx);
  const std::vector<Line> lines = store.OrderLineProducts(merchant_id, order_id);
  std::set<std::string> product_ids;
  for (const Line& line : lines) product_ids.insert(line.product_id);
  std::map<std::string, std::vector<v1::VariantRecommendation>> out;
  if (lines.empty()) return out;

  std::map<std::string, std::vector<Variant>> variants_by_product;
  std::set<std::string> skus;
  for (const storage::ProductVariantRow& variant :
       store.ProductVariants(merchant_id, nlohmann::json(product_ids).dump())) {
    variants_by_product[variant.product_id].push_back(
        Variant{variant.sku, variant.size, variant.size_rank, variant.in_stock});
    skus.insert(variant.sku);
  }
  for (const Line& line : lines) skus.insert(line.sku);
  std::vector<std::string> reason_names;
  for (v1::ReturnReason reason : reasons) reason_names.push_back(ReasonName(reason));
  // Counts by reason, then product (through the original SKU's product).
  std::map<std::string, std::vector<ExchangeCount>> counts_by_reason;
  for (const storage::ExchangeCountRow& count : store.ExchangeCounts(
           merchant_id, nlohmann::json(skus).dump(), nlohmann::json(reason_names).dump())) {
    counts_by_reason[count.reason].push_back(
        ExchangeCount{count.sku, count.replacement_sku, count.exchanges});
  }
  for (const Line& line : lines) {
    std::vector<Variant> variants = variants_by_product[line.product_id];
    if (variants.empty()) continue;  // no catalogue for the product: nothing to recommend from
    bool listed = false;
    for (const Variant& v : variants) listed = listed || v.sku == line.sku;
    if (!listed) variants.push_back(Variant{line.sku, line.size, 0, false});
    for (size_t i = 0; i < reasons.size(); ++i) {
      for (const Recommendation& r :
           RecommendReplacements(line.sku, reason_names[i], variants,
                                 counts_by_reason[reason_names[i]], kPerReason)) {
        v1::VariantRecommendation& rec = out[line.line_id].emplace_back();
        rec.set_sku(r.sku);
        rec.set_size(r.size);
        rec.set_reason(reasons[i]);
        rec.set_confidence_milli(static_cast<int32_t>(std::lround(r.probability * 1000)));
        rec.set_explanation(r.explanation);
        rec.set_exchanges_observed(r.observed);
        rec.set_in_stock(r.in_stock);
      }
    }
  }
  return out;
}

}  // namespace returns::app
