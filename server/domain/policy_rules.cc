#include "domain/policy_rules.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/money.h"

namespace returns {
namespace {

absl::Status Days(const std::string& field, int32_t value, int32_t lo, int32_t hi) {
  if (value < lo || value > hi) {
    return InvalidField("policy." + field, absl::StrCat("must be ", lo, " to ", hi, " days"));
  }
  return absl::OkStatus();
}

absl::Status Range(const std::string& field, int32_t value, int32_t lo, int32_t hi) {
  if (value < lo || value > hi)
    return InvalidField("policy." + field, absl::StrCat("must be ", lo, " to ", hi));
  return absl::OkStatus();
}

// An amount of the policy: not negative, in the policy's currency when it names one.
absl::Status Amount(const std::string& field, const v1::Money& money, const std::string& currency) {
  if (money.amount_minor() < 0)
    return InvalidField("policy." + field + ".amount_minor", "must not be negative");
  if (!money.currency_code().empty() && !currency.empty() && money.currency_code() != currency) {
    return InvalidField("policy." + field + ".currency_code",
                        absl::StrCat("must be the policy's currency_code \"", currency, "\""));
  }
  return absl::OkStatus();
}

bool IsId(const std::string& text) {
  if (text.empty() || text.size() > 128) return false;
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

// Bonus amounts above this (10 million in major units) are a typo, and would make every quote
// overflow: refused.
constexpr int64_t kMaxBonusMinor = 1'000'000'000;

absl::Status AtMost(const std::string& field, const v1::Money& money, int64_t most) {
  if (money.amount_minor() > most) {
    return InvalidField("policy." + field + ".amount_minor",
                        absl::StrCat("must be at most ", most));
  }
  return absl::OkStatus();
}

// A list of category IDs: at most 1000, each an ID, none twice.
absl::Status CategoryList(const std::string& name,
                          const google::protobuf::RepeatedPtrField<std::string>& list) {
  if (list.size() > 1000) {
    return InvalidField("policy." + name, "must have at most 1000 categories");
  }
  std::set<std::string> categories;
  for (int i = 0; i < list.size(); ++i) {
    const std::string field = absl::StrCat("policy.", name, "[", i, "]");
    if (!IsId(list.Get(i))) {
      return InvalidField(field, "must be 1 to 128 printable ASCII characters, no spaces");
    }
    if (!categories.insert(list.Get(i)).second) return InvalidField(field, "is listed twice");
  }
  return absl::OkStatus();
}

#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (false)

}  // namespace

absl::Status ValidatePolicy(const v1::Policy& p) {
  if (!p.currency_code().empty() && !IsCurrencyCode(p.currency_code())) {
    return InvalidField("policy.currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
  RETURN_IF_ERROR(Days("return_window_days", p.return_window_days(), 1, 3650));
  RETURN_IF_ERROR(Amount("restocking_fee", p.restocking_fee(), p.currency_code()));
  RETURN_IF_ERROR(Amount("return_shipping_fee", p.return_shipping_fee(), p.currency_code()));
  RETURN_IF_ERROR(Amount("instant_exchange_max_item_value", p.instant_exchange_max_item_value(),
                         p.currency_code()));
  RETURN_IF_ERROR(Days("exchange_token_ttl_days", p.exchange_token_ttl_days(), 1, 365));
  RETURN_IF_ERROR(Days("charge_window_days", p.charge_window_days(), 1, 365));
  RETURN_IF_ERROR(
      Amount("claim_auto_approve_max_value", p.claim_auto_approve_max_value(), p.currency_code()));
  if (p.final_sale_skus_size() > 1000)
    return InvalidField("policy.final_sale_skus", "must have at most 1000 SKUs");
  std::set<std::string> skus;
  for (int i = 0; i < p.final_sale_skus_size(); ++i) {
    const std::string field = absl::StrCat("policy.final_sale_skus[", i, "]");
    if (!IsId(p.final_sale_skus(i)))
      return InvalidField(field, "must be 1 to 128 printable ASCII characters, no spaces");
    if (!skus.insert(p.final_sale_skus(i)).second) return InvalidField(field, "is listed twice");
  }
  RETURN_IF_ERROR(Days("transit_window_days", p.transit_window_days(), 1, 365));
  RETURN_IF_ERROR(Days("claim_lost_grace_days", p.claim_lost_grace_days(), 0, 90));
  RETURN_IF_ERROR(Days("claim_window_days", p.claim_window_days(), 1, 365));
  RETURN_IF_ERROR(Days("claim_stolen_window_days", p.claim_stolen_window_days(), 1, 365));
  RETURN_IF_ERROR(Days("claim_damage_window_days", p.claim_damage_window_days(), 1, 365));
  RETURN_IF_ERROR(Range("claim_max_customer_claims", p.claim_max_customer_claims(), 0, 1000));
  RETURN_IF_ERROR(
      Range("claim_min_damage_confidence_milli", p.claim_min_damage_confidence_milli(), 0, 1000));
  if (p.claim_resolution_preference() != "RESHIP" && p.claim_resolution_preference() != "REFUND") {
    return InvalidField("policy.claim_resolution_preference", "must be RESHIP or REFUND");
  }
  RETURN_IF_ERROR(Amount("auto_approve_max_value", p.auto_approve_max_value(), p.currency_code()));
  RETURN_IF_ERROR(Range("risk_review_threshold_milli", p.risk_review_threshold_milli(), 0, 1000));
  RETURN_IF_ERROR(
      Range("risk_instant_exchange_max_milli", p.risk_instant_exchange_max_milli(), 0, 1000));
  for (const auto& [name, windows] :
       {std::pair<const char*, const google::protobuf::Map<std::string, int32_t>*>{
            "category_return_window_days", &p.category_return_window_days()},
        {"sku_return_window_days", &p.sku_return_window_days()}}) {
    if (windows->size() > 1000) {
      return InvalidField(absl::StrCat("policy.", name), "must have at most 1000 entries");
    }
    for (const auto& [key, days] : *windows) {
      const std::string field = absl::StrCat("policy.", name, "[\"", key.substr(0, 128), "\"]");
      if (!IsId(key)) {
        return InvalidField(field,
                            "the key must be 1 to 128 printable ASCII characters, no spaces");
      }
      if (days < 1 || days > 3650) return InvalidField(field, "must be 1 to 3650 days");
    }
  }
  RETURN_IF_ERROR(CategoryList("final_sale_categories", p.final_sale_categories()));
  RETURN_IF_ERROR(Range("restocking_fee_basis_points", p.restocking_fee_basis_points(), 0, 10000));
  RETURN_IF_ERROR(
      Amount("store_credit_restocking_fee", p.store_credit_restocking_fee(), p.currency_code()));
  RETURN_IF_ERROR(Range("store_credit_restocking_fee_basis_points",
                        p.store_credit_restocking_fee_basis_points(), 0, 10000));
  RETURN_IF_ERROR(Amount("return_label_cost", p.return_label_cost(), p.currency_code()));
  RETURN_IF_ERROR(Amount("store_credit_bonus", p.store_credit_bonus(), p.currency_code()));
  RETURN_IF_ERROR(AtMost("store_credit_bonus", p.store_credit_bonus(), kMaxBonusMinor));
  RETURN_IF_ERROR(AtMost("exchange_bonus", p.exchange_bonus(), kMaxBonusMinor));
  RETURN_IF_ERROR(AtMost("bonus_cap_per_return", p.bonus_cap_per_return(), kMaxBonusMinor));
  RETURN_IF_ERROR(
      Range("store_credit_bonus_basis_points", p.store_credit_bonus_basis_points(), 0, 10000));
  RETURN_IF_ERROR(Amount("exchange_bonus", p.exchange_bonus(), p.currency_code()));
  RETURN_IF_ERROR(Range("exchange_bonus_basis_points", p.exchange_bonus_basis_points(), 0, 10000));
  RETURN_IF_ERROR(Amount("bonus_cap_per_return", p.bonus_cap_per_return(), p.currency_code()));
  RETURN_IF_ERROR(CategoryList("bonus_excluded_categories", p.bonus_excluded_categories()));
  RETURN_IF_ERROR(
      Amount("handling_cost_per_return", p.handling_cost_per_return(), p.currency_code()));
  std::set<int> reasons;
  for (int i = 0; i < p.shipping_refund_reasons_size(); ++i) {
    const std::string field = absl::StrCat("policy.shipping_refund_reasons[", i, "]");
    const int reason = p.shipping_refund_reasons(i);
    if (reason == v1::RETURN_REASON_UNSPECIFIED || !v1::ReturnReason_IsValid(reason)) {
      return InvalidField(field, "must be a known return reason");
    }
    if (!reasons.insert(reason).second) return InvalidField(field, "is listed twice");
  }
  std::set<int> kinds;
  for (int i = 0; i < p.refund_tender_order_size(); ++i) {
    const std::string field = absl::StrCat("policy.refund_tender_order[", i, "]");
    const int kind = p.refund_tender_order(i);
    if (kind == v1::TENDER_KIND_UNSPECIFIED || !v1::TenderKind_IsValid(kind)) {
      return InvalidField(field,
                          "must be a known tender kind: CARD, GIFT_CARD, STORE_CREDIT or WALLET");
    }
    if (!kinds.insert(kind).second) return InvalidField(field, "is listed twice");
  }
  if (!IsId(p.default_carrier())) {
    return InvalidField("policy.default_carrier",
                        "must be a carrier code: 1 to 128 printable ASCII characters");
  }
  return absl::OkStatus();
}

}  // namespace returns
