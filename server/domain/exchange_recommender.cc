#include "domain/exchange_recommender.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace returns {
namespace {

// Smoothing strengths, in pseudo-exchanges: how much evidence it takes to move away from the
// product's step distribution (kSkuPrior) and from the size order (kProductPrior).
constexpr double kSkuPrior = 4.0;
constexpr double kProductPrior = 4.0;
// How fast the size-order prior falls per size away from the expected step.
constexpr double kStepDecay = 1.5;
// The prior weight of a variant whose size is unknown.
constexpr double kUnrankedWeight = 0.001;

std::string Words(const std::string& reason) {
  std::string words = absl::AsciiStrToLower(reason);
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::string StepWords(int step) {
  if (step == 0) return "the same size";
  const int n = std::abs(step);
  return absl::StrCat(n, n == 1 ? " size " : " sizes ", step > 0 ? "up" : "down");
}

// Ordinals 0..k-1 of the distinct size keys, by SKU; SKUs without a key are absent.
std::map<std::string, int> SizeOrdinals(const std::vector<Variant>& variants) {
  std::vector<double> keys;
  for (const Variant& v : variants) {
    if (auto key = SizeKey(v.size, v.size_rank)) keys.push_back(*key);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::map<std::string, int> ordinals;
  for (const Variant& v : variants) {
    if (auto key = SizeKey(v.size, v.size_rank)) {
      ordinals[v.sku] =
          static_cast<int>(std::lower_bound(keys.begin(), keys.end(), *key) - keys.begin());
    }
  }
  return ordinals;
}

}  // namespace

int SizeDirection(const std::string& reason) {
  if (reason == "TOO_SMALL") return 1;
  if (reason == "TOO_LARGE") return -1;
  return 0;
}

std::optional<double> SizeKey(const std::string& size, int32_t size_rank) {
  if (size_rank > 0) return static_cast<double>(size_rank);
  static const std::map<std::string, double> kLetters = {
      {"XXXS", -3}, {"3XS", -3}, {"XXS", -2}, {"2XS", -2}, {"XS", -1},  {"S", 0},   {"M", 1},
      {"L", 2},     {"XL", 3},   {"XXL", 4},  {"2XL", 4},  {"XXXL", 5}, {"3XL", 5}, {"4XL", 6}};
  const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(size));
  if (auto it = kLetters.find(upper); it != kLetters.end())
    return it->second - 1000;  // before numbers
  double number = 0;
  if (absl::SimpleAtod(upper, &number) && std::isfinite(number)) return number;
  return std::nullopt;
}

std::vector<Recommendation> RecommendReplacements(const std::string& original_sku,
                                                  const std::string& reason,
                                                  const std::vector<Variant>& variants,
                                                  const std::vector<ExchangeCount>& counts,
                                                  size_t limit) {
  const std::map<std::string, int> ordinal = SizeOrdinals(variants);
  const int direction = SizeDirection(reason);
  const auto original_ordinal = ordinal.find(original_sku);
  const bool ranked = original_ordinal != ordinal.end();
  auto step_of = [&](const std::string& sku) -> std::optional<int> {
    auto it = ordinal.find(sku);
    if (!ranked || it == ordinal.end()) return std::nullopt;
    return it->second - original_ordinal->second;
  };

  // The candidates and their size-order prior: a weight falling with the distance from the
  // expected step (one size in the reason's direction, or none).
  struct Candidate {
    const Variant* variant;
    std::optional<int> step;
    double prior = 0;
    double product_share = 0;
    int64_t observed = 0;
  };
  std::vector<Candidate> candidates;
  for (const Variant& v : variants) {
    if (direction != 0 && v.sku == original_sku) continue;  // a size reason wants another size
    Candidate c{&v, step_of(v.sku)};
    if (c.step && direction * *c.step < 0) continue;  // never the wrong way
    if (!c.step) {
      c.prior = kUnrankedWeight;
    } else {
      c.prior = std::exp(-kStepDecay * std::abs(*c.step - direction));
      if (direction == 0 && v.sku == original_sku) c.prior *= 2;  // the same variant again
    }
    candidates.push_back(c);
  }
  if (candidates.empty()) return {};

  // The product level: exchanges for this reason from any of its SKUs, by size step.
  std::map<int, int64_t> by_step;
  int64_t product_total = 0;
  int64_t sku_total = 0;
  std::map<std::string, int64_t> from_original;
  for (const ExchangeCount& count : counts) {
    if (count.sku == original_sku) {
      from_original[count.replacement_sku] += count.exchanges;
      sku_total += count.exchanges;
    }
    auto from = ordinal.find(count.sku);
    auto to = ordinal.find(count.replacement_sku);
    if (from == ordinal.end() || to == ordinal.end()) continue;
    by_step[to->second - from->second] += count.exchanges;
    product_total += count.exchanges;
  }
  double prior_sum = 0;
  for (const Candidate& c : candidates) prior_sum += c.prior;
  // Variants sharing a step (colours of one size) share its product-level count.
  std::map<int, double> prior_by_step;
  for (const Candidate& c : candidates) {
    if (c.step) prior_by_step[*c.step] += c.prior;
  }
  double product_sum = 0;
  for (Candidate& c : candidates) {
    double learned = 0;
    if (c.step && by_step.count(*c.step)) {
      learned = static_cast<double>(by_step[*c.step]) * c.prior / prior_by_step[*c.step];
    }
    c.product_share = learned + kProductPrior * c.prior / prior_sum;
    product_sum += c.product_share;
  }
  std::vector<Recommendation> out;
  for (Candidate& c : candidates) {
    c.observed = from_original.count(c.variant->sku) ? from_original[c.variant->sku] : 0;
    Recommendation r;
    r.sku = c.variant->sku;
    r.size = c.variant->size;
    r.in_stock = c.variant->in_stock;
    r.observed = c.observed;
    r.probability = (static_cast<double>(c.observed) + kSkuPrior * c.product_share / product_sum) /
                    (static_cast<double>(sku_total) + kSkuPrior);
    const std::string reason_words = Words(reason);
    if (c.observed > 0) {
      r.explanation =
          absl::StrCat(c.observed, " of ", sku_total, " settled exchanges of ", original_sku,
                       " returned as \"", reason_words, "\" went to ", r.sku);
    } else if (c.step && by_step.count(*c.step)) {
      r.explanation =
          absl::StrCat("across the product, ", by_step[*c.step], " of ", product_total,
                       " settled exchanges for \"", reason_words, "\" went ", StepWords(*c.step));
    } else if (c.step) {
      r.explanation = absl::StrCat("no exchange history for \"", reason_words,
                                   "\" yet: ", StepWords(*c.step), " in the product's size order");
    } else {
      r.explanation = "no exchange history, and the variant's size is not in a known size order";
    }
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Recommendation& a, const Recommendation& b) {
    if (a.probability != b.probability) return a.probability > b.probability;
    return a.sku < b.sku;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<std::string> NaiveReplacement(const std::string& original_sku,
                                            const std::string& reason,
                                            const std::vector<Variant>& variants) {
  const std::map<std::string, int> ordinal = SizeOrdinals(variants);
  auto original = ordinal.find(original_sku);
  if (original == ordinal.end()) return std::nullopt;
  const int want = original->second + SizeDirection(reason);
  if (SizeDirection(reason) == 0) return original_sku;
  for (const Variant& v : variants) {  // the first SKU of the wanted size
    auto it = ordinal.find(v.sku);
    if (it != ordinal.end() && it->second == want) return v.sku;
  }
  return std::nullopt;
}

}  // namespace returns
