#include "storage/policy_store.h"

#include "storage/field_reading.h"
#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

// A row of policies/get_policy.sql or policies/lock_policy.sql. Every amount is in the policy's
// currency.
v1::Policy PolicyFromRow(const pqxx::row& row) {
  v1::Policy p;
  const std::string currency = row["currency_code"].as<std::string>();
  auto money = [&](v1::Money* m, const char* column) {
    m->set_currency_code(currency);
    m->set_amount_minor(row[column].as<int64_t>());
  };
  p.set_return_window_days(row["return_window_days"].as<int32_t>());
  money(p.mutable_restocking_fee(), "restocking_fee_minor");
  money(p.mutable_return_shipping_fee(), "return_shipping_fee_minor");
  p.set_instant_exchange_enabled(row["instant_exchange_enabled"].as<bool>());
  money(p.mutable_instant_exchange_max_item_value(), "instant_exchange_max_item_minor");
  p.set_exchange_token_ttl_days(row["exchange_token_ttl_days"].as<int32_t>());
  p.set_charge_window_days(row["charge_window_days"].as<int32_t>());
  p.set_require_collateral(row["require_collateral"].as<bool>());
  money(p.mutable_claim_auto_approve_max_value(), "claim_auto_approve_max_minor");
  for (const json& sku : json::parse(row["final_sale_skus"].as<std::string>())) {
    p.add_final_sale_skus(sku.get<std::string>());
  }
  SetMicros(row["update_time_us"], [&] { return p.mutable_update_time(); });
  p.set_version(row["version"].as<int64_t>());
  p.set_etag(absl::StrCat("\"", row["version"].as<int64_t>(), "\""));
  p.set_transit_window_days(row["transit_window_days"].as<int32_t>());
  p.set_claim_lost_grace_days(row["claim_lost_grace_days"].as<int32_t>());
  p.set_claim_window_days(row["claim_window_days"].as<int32_t>());
  p.set_claim_stolen_window_days(row["claim_stolen_window_days"].as<int32_t>());
  p.set_claim_damage_window_days(row["claim_damage_window_days"].as<int32_t>());
  p.set_claim_max_customer_claims(row["claim_max_customer_claims"].as<int32_t>());
  p.set_claim_photo_required(row["claim_photo_required"].as<bool>());
  p.set_claim_min_damage_confidence_milli(row["claim_min_damage_confidence_milli"].as<int32_t>());
  p.set_claim_resolution_preference(row["claim_resolution_preference"].as<std::string>());
  money(p.mutable_auto_approve_max_value(), "auto_approve_max_minor");
  p.set_default_carrier(row["default_carrier"].as<std::string>());
  p.set_currency_code(currency);
  p.set_risk_review_threshold_milli(row["risk_review_threshold_milli"].as<int32_t>());
  p.set_risk_instant_exchange_max_milli(row["risk_instant_exchange_max_milli"].as<int32_t>());
  // Bound to locals: items() of a temporary dangles.
  const json by_category = json::parse(row["category_return_window_days"].as<std::string>());
  for (const auto& [category, days] : by_category.items()) {
    (*p.mutable_category_return_window_days())[category] = days.get<int32_t>();
  }
  const json by_sku = json::parse(row["sku_return_window_days"].as<std::string>());
  for (const auto& [sku, days] : by_sku.items()) {
    (*p.mutable_sku_return_window_days())[sku] = days.get<int32_t>();
  }
  for (const json& category : json::parse(row["final_sale_categories"].as<std::string>())) {
    p.add_final_sale_categories(category.get<std::string>());
  }
  p.set_restocking_fee_basis_points(row["restocking_fee_basis_points"].as<int32_t>());
  money(p.mutable_store_credit_restocking_fee(), "store_credit_restocking_fee_minor");
  p.set_store_credit_restocking_fee_basis_points(
      row["store_credit_restocking_fee_basis_points"].as<int32_t>());
  money(p.mutable_return_label_cost(), "return_label_cost_minor");
  money(p.mutable_handling_cost_per_return(), "handling_cost_minor");
  for (const json& reason : json::parse(row["shipping_refund_reasons"].as<std::string>())) {
    if (auto parsed = ParseEnum<v1::ReturnReason>(reason.get<std::string>())) {
      p.add_shipping_refund_reasons(*parsed);
    }
  }
  for (const json& kind : json::parse(row["refund_tender_order"].as<std::string>())) {
    if (auto parsed = ParseEnum<v1::TenderKind>(kind.get<std::string>())) {
      p.add_refund_tender_order(*parsed);
    }
  }
  p.set_gift_refund_to_buyer(row["gift_refund_to_buyer"].as<bool>());
  money(p.mutable_store_credit_bonus(), "store_credit_bonus_minor");
  p.set_store_credit_bonus_basis_points(row["store_credit_bonus_basis_points"].as<int32_t>());
  money(p.mutable_exchange_bonus(), "exchange_bonus_minor");
  p.set_exchange_bonus_basis_points(row["exchange_bonus_basis_points"].as<int32_t>());
  money(p.mutable_bonus_cap_per_return(), "bonus_cap_per_return_minor");
  for (const json& category : json::parse(row["bonus_excluded_categories"].as<std::string>())) {
    p.add_bonus_excluded_categories(category.get<std::string>());
  }
  p.set_bonus_waives_fees(row["bonus_waives_fees"].as<bool>());
  return p;
}

// A row of policies/get_policy_version.sql or policies/list_policy_versions.sql.
PolicyVersionRow PolicyVersionFromRow(const pqxx::row& row) {
  return PolicyVersionRow{row["version"].as<int64_t>(), row["policy"].as<std::string>(),
                          row["actor"].as<std::string>(), row["reason"].as<std::string>(),
                          row["create_time_us"].as<int64_t>()};
}

// A repeated enum field as a JSON array of short names (policies.shipping_refund_reasons,
// policies.refund_tender_order).
std::string EnumTextsJson(const google::protobuf::RepeatedField<int>& values,
                          const google::protobuf::EnumDescriptor& descriptor) {
  json texts = json::array();
  for (int value : values) texts.push_back(EnumText(descriptor, value));
  return texts.dump();
}

}  // namespace

std::optional<OrchestrationPolicyRow> PolicyStore::GetOrchestrationPolicy(
    const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kPoliciesGetOrchestrationPolicy, merchant_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  return OrchestrationPolicyRow{row["auto_approve_max_minor"].as<int64_t>(),
                                row["default_carrier"].as<std::string>(),
                                row["restocking_fee_minor"].as<int64_t>(),
                                row["return_shipping_fee_minor"].as<int64_t>(),
                                row["risk_review_threshold_milli"].as<int32_t>(),
                                row["refund_tender_order"].as<std::string>()};
}

std::optional<v1::Policy> PolicyStore::GetPolicy(const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kPoliciesGetPolicy, merchant_id);
  if (rows.empty()) return std::nullopt;
  return PolicyFromRow(rows[0]);
}

std::optional<PolicyVersionRow> PolicyStore::GetPolicyVersion(const std::string& merchant_id,
                                                              int64_t version) {
  const auto rows = tx_.Exec(sql::kPoliciesGetPolicyVersion, merchant_id, version);
  if (rows.empty()) return std::nullopt;
  return PolicyVersionFromRow(rows[0]);
}

void PolicyStore::InsertPolicyVersion(const std::string& merchant_id, int64_t version,
                                      const std::string& policy_json, const std::string& actor,
                                      const std::string& reason, int64_t create_time_us) {
  tx_.Exec(sql::kPoliciesInsertPolicyVersion, merchant_id, version, policy_json, actor, reason,
           create_time_us);
}

std::vector<PolicyVersionRow> PolicyStore::ListPolicyVersions(const std::string& merchant_id,
                                                              int64_t before_version, int limit) {
  std::vector<PolicyVersionRow> versions;
  for (const auto& row :
       tx_.Exec(sql::kPoliciesListPolicyVersions, merchant_id, before_version, limit)) {
    versions.push_back(PolicyVersionFromRow(row));
  }
  return versions;
}

std::optional<v1::Policy> PolicyStore::LockPolicy(const std::string& merchant_id) {
  const auto rows = tx_.Exec(sql::kPoliciesLockPolicy, merchant_id);
  if (rows.empty()) return std::nullopt;
  return PolicyFromRow(rows[0]);
}

int64_t PolicyStore::UpdatePolicy(const std::string& merchant_id, const v1::Policy& policy) {
  // Amounts go in minor units of the policy's currency_code; lists and maps as JSON.
  const std::string final_sale_skus =
      json(std::vector<std::string>(policy.final_sale_skus().begin(),
                                    policy.final_sale_skus().end()))
          .dump();
  const auto rows = tx_.Exec(
      sql::kPoliciesUpdatePolicy, merchant_id, policy.return_window_days(),
      policy.restocking_fee().amount_minor(), policy.return_shipping_fee().amount_minor(),
      policy.instant_exchange_enabled(), policy.instant_exchange_max_item_value().amount_minor(),
      policy.exchange_token_ttl_days(), policy.charge_window_days(), policy.require_collateral(),
      policy.claim_auto_approve_max_value().amount_minor(), final_sale_skus,
      policy.transit_window_days(), policy.claim_lost_grace_days(), policy.claim_window_days(),
      policy.claim_stolen_window_days(), policy.claim_damage_window_days(),
      policy.claim_max_customer_claims(), policy.claim_photo_required(),
      policy.claim_min_damage_confidence_milli(), policy.claim_resolution_preference(),
      policy.auto_approve_max_value().amount_minor(), policy.default_carrier(),
      policy.currency_code(), policy.risk_review_threshold_milli(),
      policy.risk_instant_exchange_max_milli(),
      json(std::map<std::string, int32_t>(policy.category_return_window_days().begin(),
                                          policy.category_return_window_days().end()))
          .dump(),
      json(std::map<std::string, int32_t>(policy.sku_return_window_days().begin(),
                                          policy.sku_return_window_days().end()))
          .dump(),
      json(std::vector<std::string>(policy.final_sale_categories().begin(),
                                    policy.final_sale_categories().end()))
          .dump(),
      policy.restocking_fee_basis_points(), policy.store_credit_restocking_fee().amount_minor(),
      policy.store_credit_restocking_fee_basis_points(), policy.return_label_cost().amount_minor(),
      policy.handling_cost_per_return().amount_minor(),
      EnumTextsJson(policy.shipping_refund_reasons(), *v1::ReturnReason_descriptor()),
      EnumTextsJson(policy.refund_tender_order(), *v1::TenderKind_descriptor()),
      policy.gift_refund_to_buyer(), policy.store_credit_bonus().amount_minor(),
      policy.store_credit_bonus_basis_points(), policy.exchange_bonus().amount_minor(),
      policy.exchange_bonus_basis_points(), policy.bonus_cap_per_return().amount_minor(),
      json(std::vector<std::string>(policy.bonus_excluded_categories().begin(),
                                    policy.bonus_excluded_categories().end()))
          .dump(),
      policy.bonus_waives_fees());
  return rows[0]["version"].as<int64_t>();
}

}  // namespace returns::storage
