// The offline evaluation of the exchange recommender (docs/decisions.md): a generated exchange
// history with a known preference structure - products that run small, true to size or large -
// replayed in time order. Before each exchange settles, the learned model (fed every earlier one,
// as the database feeds it in each settling transaction) and the naive "next size in the
// reason's direction" rule each name one replacement; the printout is their top-1 accuracy.
// Exits 1 unless the learned model beats the naive rule.
//   recommendation_eval [--seed N] [--exchanges N] [--products N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "domain/exchange_recommender.h"

namespace {

using returns::ExchangeCount;
using returns::Variant;

enum Fit { kRunsSmall, kTrueToSize, kRunsLarge };
const char* kFitNames[] = {"runs small", "true to size", "runs large"};

struct Product {
  std::vector<Variant> variants;  // in size order
  Fit fit;
  double popularity;
};

struct Tally {
  int64_t events = 0, learned = 0, naive = 0;
  void Add(bool l, bool n) {
    ++events;
    learned += l;
    naive += n;
  }
  double Learned() const { return events ? static_cast<double>(learned) / events : 0; }
  double Naive() const { return events ? static_cast<double>(naive) / events : 0; }
};

int64_t Flag(int argc, char** argv, const char* name, int64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::strtoll(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t seed = static_cast<uint64_t>(Flag(argc, argv, "--seed", 1));
  const int64_t exchanges = Flag(argc, argv, "--exchanges", 30000);
  const int product_count = static_cast<int>(Flag(argc, argv, "--products", 300));
  std::mt19937_64 random(seed);
  auto uniform = [&] { return std::uniform_real_distribution<double>(0, 1)(random); };

  // The catalogue: letter or numeric size runs of 4-7 sizes; a fit per product; Zipf popularity.
  const std::vector<std::string> letters = {"XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL"};
  std::vector<Product> products;
  std::vector<double> weights;
  for (int p = 0; p < product_count; ++p) {
    Product product;
    const double f = uniform();
    product.fit = f < 0.3 ? kRunsSmall : f < 0.7 ? kTrueToSize : kRunsLarge;
    const int sizes = 4 + static_cast<int>(random() % 4);
    const int first = static_cast<int>(random() % (letters.size() - sizes + 1));
    const bool numeric = random() % 2 == 0;
    for (int s = 0; s < sizes; ++s) {
      const std::string size = numeric ? std::to_string(36 + 2 * (first + s)) : letters[first + s];
      product.variants.push_back({"P" + std::to_string(p) + "-" + size, size, 0, true});
    }
    product.popularity = 1.0 / (p + 1);
    weights.push_back(product.popularity);
    products.push_back(product);
  }
  std::discrete_distribution<int> pick_product(weights.begin(), weights.end());

  // What the database holds: exchanges by (sku, reason, replacement).
  std::map<std::pair<std::string, std::string>, std::map<std::string, int64_t>> counts;
  auto product_counts = [&](const Product& product, const std::string& reason) {
    std::vector<ExchangeCount> out;
    for (const Variant& v : product.variants) {
      auto it = counts.find({v.sku, reason});
      if (it == counts.end()) continue;
      for (const auto& [replacement, n] : it->second) out.push_back({v.sku, replacement, n});
    }
    return out;
  };

  Tally all, second_half, by_fit[3], by_reason_other;
  int64_t generated = 0;
  double recommend_seconds = 0;
  while (generated < exchanges) {
    const Product& product = products[pick_product(random)];
    const int n = static_cast<int>(product.variants.size());
    const int original = std::binomial_distribution<int>(n - 1, 0.5)(random);
    const double r = uniform();
    const std::string reason = r < 0.45 ? "TOO_SMALL" : r < 0.85 ? "TOO_LARGE" : "DAMAGED";
    // The customer's true choice, by the product's fit.
    int step = 0;
    if (reason == "DAMAGED") {
      step = uniform() < 0.9 ? 0 : (uniform() < 0.5 ? 1 : -1);
    } else {
      const bool small = reason == "TOO_SMALL";
      const bool against = small ? product.fit == kRunsSmall : product.fit == kRunsLarge;
      const bool with = small ? product.fit == kRunsLarge : product.fit == kRunsSmall;
      const double two = against ? 0.7 : with ? 0.05 : 0.15;
      step = (uniform() < two ? 2 : 1) * (small ? 1 : -1);
    }
    int target = original + step;
    if (target < 0) target = 0;
    if (target >= n) target = n - 1;
    if (reason != "DAMAGED" && target == original) continue;  // nothing to exchange to: a refund
    ++generated;
    const std::string& original_sku = product.variants[original].sku;
    const std::string& chosen = product.variants[target].sku;

    const auto started = std::chrono::steady_clock::now();
    const auto learned = returns::RecommendReplacements(original_sku, reason, product.variants,
                                                        product_counts(product, reason), 1);
    recommend_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto naive = returns::NaiveReplacement(original_sku, reason, product.variants);
    const bool learned_hit = !learned.empty() && learned[0].sku == chosen;
    const bool naive_hit = naive && *naive == chosen;
    all.Add(learned_hit, naive_hit);
    if (generated > exchanges / 2) second_half.Add(learned_hit, naive_hit);
    if (reason == "DAMAGED") {
      by_reason_other.Add(learned_hit, naive_hit);
    } else {
      by_fit[product.fit].Add(learned_hit, naive_hit);
    }
    ++counts[{original_sku, reason}][chosen];  // the exchange settles: the model learns it
  }

  std::printf("recommendation_eval: seed %llu, %lld exchanges over %d products (model %s)\n",
              static_cast<unsigned long long>(seed), static_cast<long long>(exchanges),
              product_count, returns::kRecommendationModelVersion);
  std::printf("%-32s %10s %10s %10s\n", "slice", "exchanges", "learned", "naive");
  auto row = [](const char* name, const Tally& t) {
    std::printf("%-32s %10lld %9.1f%% %9.1f%%\n", name, static_cast<long long>(t.events),
                100 * t.Learned(), 100 * t.Naive());
  };
  row("all (prequential top-1)", all);
  row("second half (after warm-up)", second_half);
  for (int f = 0; f < 3; ++f)
    row((std::string("size reasons, ") + kFitNames[f]).c_str(), by_fit[f]);
  row("damaged (same variant)", by_reason_other);
  std::printf("recommendation time: %.1f us per call\n",
              1e6 * recommend_seconds / static_cast<double>(all.events));
  if (all.Learned() <= all.Naive()) {
    std::printf("FAIL: the learned model does not beat the naive rule\n");
    return 1;
  }
  std::printf("learned beats naive by %.1f points\n", 100 * (all.Learned() - all.Naive()));
  return 0;
}
