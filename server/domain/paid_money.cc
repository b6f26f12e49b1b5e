#include "domain/paid_money.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace returns {
namespace {

constexpr int64_t kMaxRatePpm = 1000000;
constexpr size_t kMaxPaymentIdLength = 128;
constexpr size_t kMaxReferenceLength = 256;

absl::Status Overflow() { return absl::OutOfRangeError("the order's amounts overflow"); }

// An amount given in the request: in the order's currency and not negative. Unset is zero.
absl::StatusOr<int64_t> AmountOf(const v1::Money& money, bool present, const std::string& field,
                                 const std::string& currency) {
  if (!present) return 0;
  if (money.currency_code() != currency) {
    return InvalidField(field + ".currency_code", "must equal the order's currency_code");
  }
  if (money.amount_minor() < 0)
    return InvalidField(field + ".amount_minor", "must not be negative");
  return money.amount_minor();
}

// The sum of tax lines, each checked; `base` is what they are charged on (no tax on nothing).
absl::StatusOr<int64_t> TaxOf(const google::protobuf::RepeatedPtrField<v1::TaxLine>& tax_lines,
                              const std::string& field, const std::string& currency, int64_t base) {
  int64_t tax = 0;
  for (int j = 0; j < tax_lines.size(); ++j) {
    const v1::TaxLine& line = tax_lines[j];
    const std::string at = absl::StrCat(field, "[", j, "]");
    if (line.rate_ppm() < 0 || line.rate_ppm() > kMaxRatePpm) {
      return InvalidField(at + ".rate_ppm", "must be between 0 and 1000000 (100 %)");
    }
    if (!line.has_amount()) return InvalidField(at + ".amount", "is required");
    auto amount = AmountOf(line.amount(), true, at + ".amount", currency);
    if (!amount.ok()) return amount.status();
    if (*amount > 0 && base == 0) {
      return InvalidField(at + ".amount", "is tax on an amount of zero: nothing was paid for it");
    }
    if (__builtin_add_overflow(tax, *amount, &tax)) return Overflow();
  }
  return tax;
}

// A line's or the shipping's paid amount from its price after discounts and its tax.
absl::StatusOr<int64_t> PaidOf(v1::TaxMode mode, int64_t net, int64_t tax,
                               const std::string& tax_field, const std::string& prefix) {
  if (tax > 0 && mode == v1::TAX_MODE_UNSPECIFIED) {
    return InvalidField(prefix + ".tax_mode", "is required when tax lines are given");
  }
  if (mode == v1::TAX_MODE_INCLUSIVE) {
    if (tax > net) {
      return InvalidField(tax_field, absl::StrCat("include ", tax, " of tax in an amount of ", net,
                                                  ": more than the amount"));
    }
    return net;
  }
  int64_t paid = 0;
  if (__builtin_add_overflow(net, tax, &paid)) return Overflow();
  return paid;
}

absl::Status CheckPayments(const v1::Order& order, const std::string& prefix, int64_t total) {
  std::set<std::string> ids;
  int64_t sum = 0;
  for (int i = 0; i < order.payments_size(); ++i) {
    const v1::Payment& payment = order.payments(i);
    const std::string at = absl::StrCat(prefix, ".payments[", i, "]");
    if (payment.payment_id().empty()) return InvalidField(at + ".payment_id", "is required");
    if (payment.payment_id().size() > kMaxPaymentIdLength) {
      return InvalidField(at + ".payment_id",
                          absl::StrCat("must be at most ", kMaxPaymentIdLength, " bytes"));
    }
    if (!ids.insert(payment.payment_id()).second) {
      return InvalidField(at + ".payment_id", "repeats another payment's id");
    }
    if (payment.kind() == v1::TENDER_KIND_UNSPECIFIED || !v1::TenderKind_IsValid(payment.kind())) {
      return InvalidField(at + ".kind",
                          "must be a known tender kind: CARD, GIFT_CARD, STORE_CREDIT or WALLET");
    }
    if (payment.reference().size() > kMaxReferenceLength) {
      return InvalidField(at + ".reference",
                          absl::StrCat("must be at most ", kMaxReferenceLength, " bytes"));
    }
    if (!payment.has_amount()) return InvalidField(at + ".amount", "is required");
    auto amount = AmountOf(payment.amount(), true, at + ".amount", order.currency_code());
    if (!amount.ok()) return amount.status();
    if (*amount == 0) return InvalidField(at + ".amount.amount_minor", "must be more than zero");
    if (__builtin_add_overflow(sum, *amount, &sum)) return Overflow();
  }
  if (order.payments_size() > 0 && sum != total) {
    return InvalidField(prefix + ".payments",
                        absl::StrCat("add up to ", sum, " but the order's total is ", total,
                                     " (lines after discounts with tax, plus shipping)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OrderMoney> ComputeOrderMoney(const v1::Order& order, const std::string& prefix) {
  const std::string& currency = order.currency_code();
  const v1::TaxMode mode = order.tax_mode();
  if (!v1::TaxMode_IsValid(mode)) {
    return InvalidField(prefix + ".tax_mode", "must be EXCLUSIVE, INCLUSIVE or unset");
  }
  OrderMoney money;
  std::vector<int64_t> after_line_discounts;
  int64_t after_line_discounts_total = 0;
  int shares_given = 0;
  int first_without_share = -1;
  for (int i = 0; i < order.lines_size(); ++i) {
    const v1::OrderLine& line = order.lines(i);
    const std::string at = absl::StrCat(prefix, ".lines[", i, "]");
    LineMoney out;
    auto unit_price = AmountOf(line.unit_price(), true, at + ".unit_price", currency);
    if (!unit_price.ok()) return unit_price.status();
    if (line.quantity() < 1) return InvalidField(at + ".quantity", "must be at least 1");
    if (__builtin_mul_overflow(line.unit_price().amount_minor(),
                               static_cast<int64_t>(line.quantity()), &out.gross_minor)) {
      return Overflow();
    }
    auto discount =
        AmountOf(line.line_discount(), line.has_line_discount(), at + ".line_discount", currency);
    if (!discount.ok()) return discount.status();
    if (*discount > out.gross_minor) {
      return InvalidField(at + ".line_discount",
                          absl::StrCat("is larger than the line: ", *discount, " off ",
                                       out.gross_minor, " (unit price x quantity)"));
    }
    out.line_discount_minor = *discount;
    after_line_discounts.push_back(out.gross_minor - *discount);
    if (__builtin_add_overflow(after_line_discounts_total, after_line_discounts.back(),
                               &after_line_discounts_total)) {
      return Overflow();
    }
    if (line.has_order_discount_share()) {
      ++shares_given;
    } else if (first_without_share < 0) {
      first_without_share = i;
    }
    money.lines.push_back(out);
  }
  auto order_discount = AmountOf(order.order_discount(), order.has_order_discount(),
                                 prefix + ".order_discount", currency);
  if (!order_discount.ok()) return order_discount.status();
  if (*order_discount > after_line_discounts_total) {
    return InvalidField(prefix + ".order_discount",
                        absl::StrCat("is larger than the lines after their own discounts (",
                                     after_line_discounts_total, ")"));
  }
  if (shares_given > 0 && first_without_share >= 0) {
    return InvalidField(
        absl::StrCat(prefix, ".lines[", first_without_share, "].order_discount_share"),
        "must be set on every line or on none (then the service allocates order_discount)");
  }
  if (shares_given == 0) {
    if (*order_discount > 0) {
      const std::vector<int64_t> shares =
          AllocateLargestRemainder(*order_discount, after_line_discounts);
      for (size_t i = 0; i < shares.size(); ++i) {
        money.lines[i].order_discount_share_minor = shares[i];
      }
    }
  } else {
    int64_t sum = 0;
    for (int i = 0; i < order.lines_size(); ++i) {
      const std::string field = absl::StrCat(prefix, ".lines[", i, "].order_discount_share");
      auto share = AmountOf(order.lines(i).order_discount_share(), true, field, currency);
      if (!share.ok()) return share.status();
      if (*share > after_line_discounts[i]) {
        return InvalidField(field, absl::StrCat("is larger than the line after its own discount (",
                                                after_line_discounts[i], ")"));
      }
      money.lines[i].order_discount_share_minor = *share;
      sum += *share;  // each at most a line's value: the total was checked for overflow
    }
    if (sum != *order_discount) {
      return InvalidField(prefix + ".order_discount",
                          absl::StrCat("is ", *order_discount,
                                       " but the lines' order_discount_share", " add up to ", sum));
    }
  }
  for (int i = 0; i < order.lines_size(); ++i) {
    LineMoney& out = money.lines[i];
    const std::string at = absl::StrCat(prefix, ".lines[", i, "].tax_lines");
    out.net_minor = after_line_discounts[i] - out.order_discount_share_minor;
    auto tax = TaxOf(order.lines(i).tax_lines(), at, currency, out.net_minor);
    if (!tax.ok()) return tax.status();
    out.tax_minor = *tax;
    auto paid = PaidOf(mode, out.net_minor, out.tax_minor, at, prefix);
    if (!paid.ok()) return paid.status();
    out.paid_minor = *paid;
    if (__builtin_add_overflow(money.total_minor, out.paid_minor, &money.total_minor)) {
      return Overflow();
    }
  }
  auto shipping = AmountOf(order.shipping(), order.has_shipping(), prefix + ".shipping", currency);
  if (!shipping.ok()) return shipping.status();
  money.shipping_minor = *shipping;
  auto shipping_tax = TaxOf(order.shipping_tax_lines(), prefix + ".shipping_tax_lines", currency,
                            money.shipping_minor);
  if (!shipping_tax.ok()) return shipping_tax.status();
  money.shipping_tax_minor = *shipping_tax;
  auto shipping_paid = PaidOf(mode, money.shipping_minor, money.shipping_tax_minor,
                              prefix + ".shipping_tax_lines", prefix);
  if (!shipping_paid.ok()) return shipping_paid.status();
  money.shipping_paid_minor = *shipping_paid;
  if (__builtin_add_overflow(money.total_minor, money.shipping_paid_minor, &money.total_minor)) {
    return Overflow();
  }
  if (order.has_total()) {
    auto total = AmountOf(order.total(), true, prefix + ".total", currency);
    if (!total.ok()) return total.status();
    if (*total != money.total_minor) {
      return InvalidField(
          prefix + ".total",
          absl::StrCat("is ", *total, " but the lines and shipping add up to ", money.total_minor));
    }
  }
  if (absl::Status s = CheckPayments(order, prefix, money.total_minor); !s.ok()) return s;
  return money;
}

std::vector<int64_t> AllocateLargestRemainder(int64_t amount, const std::vector<int64_t>& weights) {
  std::vector<int64_t> shares(weights.size(), 0);
  if (weights.empty()) return shares;
  __int128 total_weight = 0;
  for (int64_t w : weights) total_weight += w;
  if (total_weight == 0) {
    shares[0] = amount;
    return shares;
  }
  std::vector<__int128> remainders(weights.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 product = static_cast<__int128>(amount) * weights[i];
    shares[i] = static_cast<int64_t>(product / total_weight);
    remainders[i] = product % total_weight;
    given += shares[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  // Fewer cents are left than there are positions: each rounded down by less than one.
  for (size_t k = 0; given < amount; ++k, ++given) ++shares[order[k]];
  return shares;
}

UnitsShare ShareOfUnits(const LineRemainder& remainder, int32_t units) {
  if (units >= remainder.units) return {remainder.paid_minor, remainder.tax_minor};
  auto part = [&](int64_t amount) {
    return static_cast<int64_t>(static_cast<__int128>(amount) * units / remainder.units);
  };
  return {part(remainder.paid_minor), part(remainder.tax_minor)};
}

TenderSplit SplitOverTenders(int64_t amount, const std::vector<TenderBalance>& tenders,
                             const std::vector<v1::TenderKind>& kind_order,
                             const std::string& currency) {
  auto rank = [&](v1::TenderKind kind) {
    auto it = std::find(kind_order.begin(), kind_order.end(), kind);
    return it == kind_order.end() ? kind_order.size()
                                  : static_cast<size_t>(it - kind_order.begin());
  };
  std::vector<size_t> order(tenders.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return rank(tenders[a].kind) < rank(tenders[b].kind);
  });
  TenderSplit split;
  int64_t left = std::max<int64_t>(amount, 0);
  for (size_t i : order) {
    if (left == 0) break;
    const TenderBalance& tender = tenders[i];
    const int64_t take = std::min(left, std::max<int64_t>(tender.refundable_minor, 0));
    if (take == 0) continue;
    v1::TenderShare* share = &split.shares.emplace_back();
    share->set_payment_id(tender.payment_id);
    share->set_kind(tender.kind);
    share->set_reference(tender.reference);
    share->mutable_amount()->set_currency_code(currency);
    share->mutable_amount()->set_amount_minor(take);
    left -= take;
  }
  split.unallocated_minor = left;
  return split;
}

std::vector<v1::TenderKind> DefaultRefundTenderOrder() {
  return {v1::TENDER_KIND_GIFT_CARD, v1::TENDER_KIND_STORE_CREDIT, v1::TENDER_KIND_WALLET,
          v1::TENDER_KIND_CARD};
}

}  // namespace returns
