#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Which replacement variant fits (docs/decisions.md, "Exchange recommendations"): learned from
// the merchant's settled exchanges - how often a SKU returned for a reason went to each variant of
// its product - smoothed towards the same step across the whole product, and that towards the
// product's size order. Pure: the caller reads the variants and the counts.
namespace returns {

inline constexpr char kRecommendationModelVersion[] = "fit/1";

// One variant of a product, as the catalogue (inventory levels) has it.
struct Variant {
  std::string sku;
  std::string size;
  int32_t size_rank = 0;  // explicit place in the size order; 0 = the built-in order
  bool in_stock = false;
};

// Settled exchange lines from `sku` to `replacement_sku`, for the reason asked about.
struct ExchangeCount {
  std::string sku;
  std::string replacement_sku;
  int64_t exchanges = 0;
};

struct Recommendation {
  std::string sku;
  std::string size;
  double probability = 0;  // 0..1
  int64_t observed = 0;    // exchanges of the original to this variant
  bool in_stock = false;
  std::string explanation;  // in words
};

// Where a reason points in the size order: up for TOO_SMALL, down for TOO_LARGE, the same size
// for every other reason.
int SizeDirection(const std::string& reason);

// A size's sort key: the explicit rank when set, else XXS..XXXL, else the size as a number.
std::optional<double> SizeKey(const std::string& size, int32_t size_rank);

// The replacements for `original_sku` returned for `reason` (a ReturnReason name without its
// prefix, e.g. "TOO_SMALL"), best first, at most `limit`. `variants` are the product's variants
// (the original among them); `counts` the product's exchanges for this reason. TOO_SMALL only
// looks at the same size or larger, TOO_LARGE the same or smaller; other reasons at every
// variant, the original itself first by prior.
std::vector<Recommendation> RecommendReplacements(const std::string& original_sku,
                                                  const std::string& reason,
                                                  const std::vector<Variant>& variants,
                                                  const std::vector<ExchangeCount>& counts,
                                                  size_t limit);

// The naive rule the model is measured against: the next size in the reason's direction (the
// same size for other reasons), keeping the original's SKU order among equal sizes.
std::optional<std::string> NaiveReplacement(const std::string& original_sku,
                                            const std::string& reason,
                                            const std::vector<Variant>& variants);

}  // namespace returns
