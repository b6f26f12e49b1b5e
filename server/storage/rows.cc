#include "storage/rows.h"

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/api_key.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "domain/settlement_plan.h"
#include "domain/shipment_rules.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

// A NULL time stays absent from the message: calling mutable_<field>() would mark it present
// as 1970-01-01, which a client checking presence reads as a real time.
template <typename MutableTime>
void SetMicros(const pqxx::field& field, MutableTime mutable_time) {
  if (field.is_null()) return;
  *mutable_time() = TimeUtil::MicrosecondsToTimestamp(field.as<int64_t>());
}

template <typename Enum>
Enum EnumFromName(const google::protobuf::EnumDescriptor* descriptor, absl::string_view prefix,
                  const std::string& name) {
  const auto* value = descriptor->FindValueByName(absl::StrCat(prefix, name));
  return value == nullptr ? static_cast<Enum>(0) : static_cast<Enum>(value->number());
}

}  // namespace

v1::Order OrderFromRow(const pqxx::row& row) {
  v1::Order order;
  order.set_order_id(row[0].as<std::string>());
  order.set_customer_id(row[1].as<std::string>());
  order.set_customer_email(row[2].as<std::string>());
  order.set_currency_code(row[3].as<std::string>());
  json address = json::parse(row[4].as<std::string>());
  v1::Address* a = order.mutable_shipping_address();
  a->set_name(address.value("name", ""));
  a->set_line1(address.value("line1", ""));
  a->set_line2(address.value("line2", ""));
  a->set_city(address.value("city", ""));
  a->set_region(address.value("region", ""));
  a->set_postal_code(address.value("postal_code", ""));
  a->set_country_code(address.value("country_code", ""));
  SetMicros(row[5], [&] { return order.mutable_order_time(); });
  SetMicros(row[6], [&] { return order.mutable_delivered_time(); });
  SetMicros(row[7], [&] { return order.mutable_create_time(); });
  SetMicros(row[8], [&] { return order.mutable_update_time(); });
  order.set_etag(absl::StrCat("\"", row[9].as<int64_t>(), "\""));
  for (const json& l : json::parse(row[10].as<std::string>())) {
    v1::OrderLine* line = order.add_lines();
    line->set_line_id(l.at("line_id").get<std::string>());
    line->set_sku(l.at("sku").get<std::string>());
    line->set_product_id(l.at("product_id").get<std::string>());
    line->set_title(l.at("title").get<std::string>());
    for (const auto& [key, value] : l.at("variant_attributes").items()) {
      (*line->mutable_variant_attributes())[key] = value.get<std::string>();
    }
    line->set_quantity(l.at("quantity").get<int32_t>());
    line->mutable_unit_price()->set_currency_code(order.currency_code());
    line->mutable_unit_price()->set_amount_minor(l.at("unit_price_minor").get<int64_t>());
    line->set_returned_quantity(l.at("returned_quantity").get<int32_t>());
    line->set_category(l.value("category", ""));
  }
  return order;
}

v1::Return ReturnFromRow(const pqxx::row& row) {
  v1::Return ret;
  ret.set_return_id(row[0].as<std::string>());
  ret.set_order_id(row[1].as<std::string>());
  ret.set_state(ParseReturnState(row[2].as<std::string>()).value_or(v1::RETURN_STATE_UNSPECIFIED));
  ret.set_cancel_reason(row[3].as<std::string>());
  SetMicros(row[4], [&] { return ret.mutable_create_time(); });
  SetMicros(row[5], [&] { return ret.mutable_update_time(); });
  ret.set_etag(absl::StrCat("\"", row[6].as<int64_t>(), "\""));
  for (const json& l : json::parse(row[7].as<std::string>())) {
    v1::ReturnLine* line = ret.add_lines();
    line->set_order_line_id(l.at("order_line_id").get<std::string>());
    line->set_quantity(l.at("quantity").get<int32_t>());
    line->set_reason(EnumFromName<v1::ReturnReason>(v1::ReturnReason_descriptor(), "RETURN_REASON_",
                                                    l.at("reason").get<std::string>()));
    line->set_reason_note(l.at("reason_note").get<std::string>());
    line->set_resolution(EnumFromName<v1::Resolution>(v1::Resolution_descriptor(), "RESOLUTION_",
                                                      l.at("resolution").get<std::string>()));
    line->set_replacement_sku(l.at("replacement_sku").get<std::string>());
    line->set_condition(EnumFromName<v1::ItemCondition>(
        v1::ItemCondition_descriptor(), "ITEM_CONDITION_", l.at("condition").get<std::string>()));
    const std::string currency = row[8].as<std::string>();
    // The prices and quote snapshotted when the return was created.
    line->mutable_unit_price()->set_currency_code(currency);
    line->mutable_unit_price()->set_amount_minor(l.value("unit_price_minor", int64_t{0}));
    if (line->resolution() == v1::RESOLUTION_EXCHANGE) {
      line->mutable_replacement_unit_price()->set_currency_code(currency);
      line->mutable_replacement_unit_price()->set_amount_minor(l.value("replacement_unit_minor", int64_t{0}));
      line->mutable_upsell_amount_due()->set_currency_code(currency);
      line->mutable_upsell_amount_due()->set_amount_minor(l.value("upsell_minor", int64_t{0}));
      line->mutable_downsell_credit()->set_currency_code(currency);
      line->mutable_downsell_credit()->set_amount_minor(l.value("downsell_minor", int64_t{0}));
    }
    if (ret.state() == v1::RETURN_STATE_RESOLVED) {
      line->mutable_refund_amount()->set_currency_code(currency);
      line->mutable_refund_amount()->set_amount_minor(l.value("refund_minor", int64_t{0}));
      line->mutable_store_credit_amount()->set_currency_code(currency);
      line->mutable_store_credit_amount()->set_amount_minor(l.value("store_credit_minor", int64_t{0}));
      line->set_withheld(l.value("withheld", false));
    }
  }
  const std::string currency = row[8].as<std::string>();
  ret.mutable_upsell_total()->set_currency_code(currency);
  ret.mutable_upsell_total()->set_amount_minor(row[13].as<int64_t>());
  ret.mutable_downsell_total()->set_currency_code(currency);
  ret.mutable_downsell_total()->set_amount_minor(row[14].as<int64_t>());
  if (row.size() > 15 && !row[15].is_null()) ret.set_policy_version(row[15].as<int64_t>());
  // The plan it was created with: the same function PreviewReturn answers with.
  if (row.size() > 17 && !row[16].is_null() && !row[17].is_null()) {
    std::vector<PlanLineInput> plan_lines;
    for (const json& l : json::parse(row[7].as<std::string>())) {
      plan_lines.push_back({l.at("order_line_id").get<std::string>(), l.at("quantity").get<int32_t>(),
                            EnumFromName<v1::Resolution>(v1::Resolution_descriptor(), "RESOLUTION_",
                                                         l.at("resolution").get<std::string>()),
                            l.value("unit_price_minor", int64_t{0}), l.value("upsell_minor", int64_t{0}),
                            l.value("downsell_minor", int64_t{0}),
                            l.contains("plan_restocking_fee_minor") && !l.at("plan_restocking_fee_minor").is_null()
                                ? std::optional<int64_t>(l.at("plan_restocking_fee_minor").get<int64_t>())
                                : std::nullopt});
    }
    auto plan = BuildSettlementPlan(plan_lines, {row[16].as<int64_t>(), row[17].as<int64_t>()}, currency,
                                    ret.policy_version());
    if (plan.ok()) *ret.mutable_plan() = *std::move(plan);
  }
  if (row.size() > 18 && !row[18].is_null()) {
    const json risk = json::parse(row[18].as<std::string>());
    ret.mutable_risk()->set_score_milli(risk.value("score_milli", 0));
    ret.mutable_risk()->set_model_version(risk.value("model_version", std::string()));
    for (const json& f : risk.value("factors", json::array())) {
      auto* factor = ret.mutable_risk()->add_factors();
      factor->set_factor(f.value("factor", std::string()));
      factor->set_contribution_milli(f.value("contribution_milli", 0));
      factor->set_explanation(f.value("explanation", std::string()));
    }
  }
  if (ret.state() == v1::RETURN_STATE_RESOLVED) {
    ret.mutable_refund_total()->set_currency_code(currency);
    ret.mutable_refund_total()->set_amount_minor(row[9].as<int64_t>());
    ret.mutable_store_credit_total()->set_currency_code(currency);
    ret.mutable_store_credit_total()->set_amount_minor(row[10].as<int64_t>());
    ret.mutable_fees_total()->set_currency_code(currency);
    ret.mutable_fees_total()->set_amount_minor(row[11].as<int64_t>());
    SetMicros(row[12], [&] { return ret.mutable_resolve_time(); });
  }
  return ret;
}

v1::Shipment ShipmentFromRow(const pqxx::row& row) {
  v1::Shipment shipment;
  shipment.set_shipment_id(row[0].as<std::string>());
  shipment.set_order_id(row[1].as<std::string>());
  shipment.set_return_id(row[2].as<std::string>());
  shipment.set_direction(row[3].as<std::string>() == "INBOUND" ? v1::SHIPMENT_DIRECTION_INBOUND
                                                               : v1::SHIPMENT_DIRECTION_OUTBOUND);
  shipment.set_state(ParseShipmentState(row[4].as<std::string>()).value_or(v1::SHIPMENT_STATE_UNSPECIFIED));
  shipment.set_carrier(row[5].as<std::string>());
  shipment.set_tracking_number(row[6].as<std::string>());
  SetMicros(row[7], [&] { return shipment.mutable_create_time(); });
  SetMicros(row[8], [&] { return shipment.mutable_update_time(); });
  shipment.set_sku(row[9].as<std::string>());
  shipment.set_quantity(row[10].as<int32_t>());
  shipment.set_label_format(row[11].as<std::string>());
  shipment.set_label_document(absl::HexStringToBytes(row[12].as<std::string>()));
  shipment.set_carrier_reference(row[13].as<std::string>());
  SetMicros(row[14], [&] { return shipment.mutable_last_event_time(); });
  shipment.set_etag(absl::StrCat("\"", row[15].as<int64_t>(), "\""));
  shipment.set_purpose(EnumFromName<v1::ShipmentPurpose>(
      v1::ShipmentPurpose_descriptor(), "SHIPMENT_PURPOSE_", row[16].as<std::string>()));
  SetMicros(row[17], [&] { return shipment.mutable_promise_time(); });
  SetMicros(row[18], [&] { return shipment.mutable_delivered_time(); });
  shipment.set_claim_id(row[19].as<std::string>());
  for (const json& line : json::parse(row[20].as<std::string>())) {
    v1::ShipmentLine* out = shipment.add_lines();
    out->set_order_line_id(line["order_line_id"].get<std::string>());
    out->set_quantity(line["quantity"].get<int32_t>());
  }
  return shipment;
}

v1::Job JobFromRow(const pqxx::row& row) {
  v1::Job job;
  job.set_job_id(row[0].as<std::string>());
  job.set_kind(EnumFromName<v1::JobKind>(v1::JobKind_descriptor(), "JOB_KIND_", row[1].as<std::string>()));
  job.set_order_id(row[2].as<std::string>());
  job.set_subject_id(row[3].as<std::string>());
  job.set_state(EnumFromName<v1::JobState>(v1::JobState_descriptor(), "JOB_STATE_", row[4].as<std::string>()));
  job.set_attempts(row[5].as<int32_t>());
  job.set_max_attempts(row[6].as<int32_t>());
  SetMicros(row[7], [&] { return job.mutable_run_after(); });
  job.set_last_error(row[8].as<std::string>());
  SetMicros(row[9], [&] { return job.mutable_create_time(); });
  SetMicros(row[10], [&] { return job.mutable_update_time(); });
  return job;
}

v1::TimelineEvent TimelineEventFromRow(const pqxx::row& row) {
  v1::TimelineEvent event;
  event.set_event_id(row[0].as<std::string>());
  event.set_order_id(row[1].as<std::string>());
  event.set_resource_type(row[2].as<std::string>());
  event.set_resource_id(row[3].as<std::string>());
  event.set_event_type(row[4].as<std::string>());
  event.set_state(row[5].as<std::string>());
  event.set_summary(row[6].as<std::string>());
  event.set_request_id(row[7].as<std::string>());
  SetMicros(row[8], [&] { return event.mutable_create_time(); });
  return event;
}

v1::ApiKey ApiKeyFromRow(const pqxx::row& row) {
  v1::ApiKey key;
  key.set_key_id(row[0].as<std::string>());
  key.set_display_name(row[1].as<std::string>());
  key.set_role(ParseApiKeyRole(row[2].as<std::string>()).value_or(v1::API_KEY_ROLE_UNSPECIFIED));
  SetMicros(row[3], [&] { return key.mutable_create_time(); });
  SetMicros(row[4], [&] { return key.mutable_revoke_time(); });
  return key;
}

v1::InventoryLevel InventoryLevelFromRow(const pqxx::row& row) {
  v1::InventoryLevel level;
  level.set_sku(row[0].as<std::string>());
  level.set_on_hand(row[1].as<int32_t>());
  level.set_reserved(row[2].as<int32_t>());
  level.set_available(level.on_hand() - level.reserved());
  level.mutable_unit_price()->set_currency_code(row[3].as<std::string>());
  level.mutable_unit_price()->set_amount_minor(row[4].as<int64_t>());
  SetMicros(row[5], [&] { return level.mutable_update_time(); });
  level.set_product_id(row[6].as<std::string>());
  level.set_size(row[7].as<std::string>());
  level.set_size_rank(row[8].as<int32_t>());
  return level;
}

v1::ExchangeToken ExchangeTokenFromRow(const pqxx::row& row) {
  v1::ExchangeToken t;
  t.set_exchange_token_id(row[0].as<std::string>());
  t.set_return_id(row[1].as<std::string>());
  t.set_order_id(row[2].as<std::string>());
  t.set_order_line_id(row[3].as<std::string>());
  t.set_replacement_sku(row[4].as<std::string>());
  t.set_quantity(row[5].as<int32_t>());
  t.set_state(ParseExchangeTokenState(row[6].as<std::string>()).value_or(v1::EXCHANGE_TOKEN_STATE_UNSPECIFIED));
  const std::string currency = row[7].as<std::string>();
  t.mutable_upsell_amount_due()->set_currency_code(currency);
  t.mutable_upsell_amount_due()->set_amount_minor(row[8].as<int64_t>());
  t.mutable_downsell_credit()->set_currency_code(currency);
  t.mutable_downsell_credit()->set_amount_minor(row[9].as<int64_t>());
  if (!row[10].as<std::string>().empty()) {
    v1::PaymentCollateral* c = t.mutable_collateral();
    c->set_authorization_reference(row[10].as<std::string>());
    c->mutable_amount()->set_currency_code(currency);
    c->mutable_amount()->set_amount_minor(row[11].as<int64_t>());
    SetMicros(row[12], [&] { return c->mutable_expire_time(); });
  }
  SetMicros(row[13], [&] { return t.mutable_expire_time(); });
  SetMicros(row[14], [&] { return t.mutable_charge_deadline(); });
  SetMicros(row[15], [&] { return t.mutable_create_time(); });
  SetMicros(row[16], [&] { return t.mutable_update_time(); });
  t.mutable_charge_amount()->set_currency_code(currency);
  t.mutable_charge_amount()->set_amount_minor(row[17].as<int64_t>());
  t.set_charge_attempt(row[18].as<int32_t>());
  SetMicros(row[19], [&] { return t.mutable_transit_deadline(); });
  t.set_charge_refund_requested(row[20].as<bool>());
  if (row.size() > 21 && !row[21].is_null()) t.set_policy_version(row[21].as<int64_t>());
  return t;
}

v1::Decision DecisionFromRow(const pqxx::row& row) {
  v1::Decision d;
  d.set_decision_id(row[0].as<std::string>());
  d.set_kind(row[1].as<std::string>());
  d.set_subject(row[2].as<std::string>());
  const json inputs = json::parse(row[3].as<std::string>());  // must outlive items()
  for (const auto& [key, value] : inputs.items()) {
    (*d.mutable_inputs())[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  d.set_rule_version(row[4].as<std::string>());
  d.set_score_milli(row[5].as<int32_t>());
  d.set_outcome(EnumFromName<v1::DecisionOutcome>(v1::DecisionOutcome_descriptor(),
                                                  "DECISION_OUTCOME_", row[6].as<std::string>()));
  for (const json& reason : json::parse(row[7].as<std::string>())) {
    d.add_reasons(reason.is_string() ? reason.get<std::string>() : reason.dump());
  }
  d.set_override_outcome(EnumFromName<v1::DecisionOutcome>(
      v1::DecisionOutcome_descriptor(), "DECISION_OUTCOME_", row[8].as<std::string>()));
  d.set_override_actor(row[9].as<std::string>());
  d.set_override_note(row[10].as<std::string>());
  SetMicros(row[11], [&] { return d.mutable_create_time(); });
  SetMicros(row[12], [&] { return d.mutable_override_time(); });
  return d;
}

static v1::ClaimEvidence EvidenceFromJson(const json& e, const std::string& claim_id) {
  v1::ClaimEvidence evidence;
  evidence.set_evidence_id(e["evidence_id"].get<std::string>());
  evidence.set_claim_id(claim_id);
  evidence.set_file_name(e["file_name"].get<std::string>());
  evidence.set_content_type(e["content_type"].get<std::string>());
  evidence.set_state(EnumFromName<v1::EvidenceState>(v1::EvidenceState_descriptor(),
                                                     "EVIDENCE_STATE_", e["state"].get<std::string>()));
  evidence.set_size_bytes(e["size_bytes"].get<int64_t>());
  evidence.set_sha256(e["sha256"].get<std::string>());
  if (!e["label"].get<std::string>().empty()) {
    evidence.mutable_assessment()->set_label(e["label"].get<std::string>());
    evidence.mutable_assessment()->set_confidence_milli(e["confidence_milli"].get<int32_t>());
    evidence.mutable_assessment()->set_model_version(e["model_version"].get<std::string>());
  }
  *evidence.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(e["create_time_us"].get<int64_t>());
  return evidence;
}

v1::ClaimEvidence EvidenceFromRow(const pqxx::row& row) {
  return EvidenceFromJson(json{{"evidence_id", row[0].as<std::string>()},
                               {"file_name", row[2].as<std::string>()},
                               {"content_type", row[3].as<std::string>()},
                               {"state", row[4].as<std::string>()},
                               {"size_bytes", row[5].as<int64_t>()},
                               {"sha256", row[6].as<std::string>()},
                               {"label", row[7].as<std::string>()},
                               {"confidence_milli", row[8].as<int32_t>()},
                               {"model_version", row[9].as<std::string>()},
                               {"create_time_us", row[10].as<int64_t>()}},
                          row[1].as<std::string>());
}

v1::Claim ClaimFromRow(const pqxx::row& row) {
  v1::Claim claim;
  claim.set_claim_id(row[0].as<std::string>());
  claim.set_order_id(row[1].as<std::string>());
  claim.set_shipment_id(row[2].as<std::string>());
  claim.set_type(EnumFromName<v1::ClaimType>(v1::ClaimType_descriptor(), "CLAIM_TYPE_", row[3].as<std::string>()));
  claim.set_state(EnumFromName<v1::ClaimState>(v1::ClaimState_descriptor(), "CLAIM_STATE_", row[4].as<std::string>()));
  claim.set_description(row[5].as<std::string>());
  const std::string currency = row[6].as<std::string>();
  claim.mutable_claim_value()->set_currency_code(currency);
  claim.mutable_claim_value()->set_amount_minor(row[7].as<int64_t>());
  claim.set_resolution(EnumFromName<v1::ClaimResolution>(
      v1::ClaimResolution_descriptor(), "CLAIM_RESOLUTION_", row[8].as<std::string>()));
  if (claim.resolution() == v1::CLAIM_RESOLUTION_REFUND) {
    claim.mutable_refund_amount()->set_currency_code(currency);
    claim.mutable_refund_amount()->set_amount_minor(row[9].as<int64_t>());
  }
  for (const json& reason : json::parse(row[10].as<std::string>())) claim.add_review_reasons(reason.get<std::string>());
  claim.set_decision_note(row[11].as<std::string>());
  SetMicros(row[12], [&] { return claim.mutable_create_time(); });
  SetMicros(row[13], [&] { return claim.mutable_update_time(); });
  SetMicros(row[14], [&] { return claim.mutable_resolve_time(); });
  claim.set_etag(absl::StrCat("\"", row[15].as<int64_t>(), "\""));
  for (const json& line : json::parse(row[16].as<std::string>())) {
    v1::ClaimLine* out = claim.add_lines();
    out->set_order_line_id(line["order_line_id"].get<std::string>());
    out->set_quantity(line["quantity"].get<int32_t>());
    out->set_sku(line["sku"].get<std::string>());
  }
  for (const json& e : json::parse(row[17].as<std::string>())) {
    *claim.add_evidence() = EvidenceFromJson(e, claim.claim_id());
    claim.add_evidence_uris(absl::StrCat("claims/", claim.claim_id(), "/evidence/",
                                         e["evidence_id"].get<std::string>()));
  }
  for (const json& id : json::parse(row[18].as<std::string>())) claim.add_reship_shipment_ids(id.get<std::string>());
  if (!row[19].is_null()) claim.set_policy_version(row[19].as<int64_t>());
  return claim;
}

v1::Policy PolicyFromRow(const pqxx::row& row) {
  v1::Policy p;
  const std::string currency = row[23].as<std::string>();
  auto money = [&](v1::Money* m, const pqxx::field& f) {
    m->set_currency_code(currency);
    m->set_amount_minor(f.as<int64_t>());
  };
  p.set_return_window_days(row[0].as<int32_t>());
  money(p.mutable_restocking_fee(), row[1]);
  money(p.mutable_return_shipping_fee(), row[2]);
  p.set_instant_exchange_enabled(row[3].as<bool>());
  money(p.mutable_instant_exchange_max_item_value(), row[4]);
  p.set_exchange_token_ttl_days(row[5].as<int32_t>());
  p.set_charge_window_days(row[6].as<int32_t>());
  p.set_require_collateral(row[7].as<bool>());
  money(p.mutable_claim_auto_approve_max_value(), row[8]);
  for (const json& sku : json::parse(row[9].as<std::string>())) p.add_final_sale_skus(sku.get<std::string>());
  SetMicros(row[10], [&] { return p.mutable_update_time(); });
  p.set_version(row[11].as<int64_t>());
  p.set_etag(absl::StrCat("\"", row[11].as<int64_t>(), "\""));
  p.set_transit_window_days(row[12].as<int32_t>());
  p.set_claim_lost_grace_days(row[13].as<int32_t>());
  p.set_claim_window_days(row[14].as<int32_t>());
  p.set_claim_stolen_window_days(row[15].as<int32_t>());
  p.set_claim_damage_window_days(row[16].as<int32_t>());
  p.set_claim_max_customer_claims(row[17].as<int32_t>());
  p.set_claim_photo_required(row[18].as<bool>());
  p.set_claim_min_damage_confidence_milli(row[19].as<int32_t>());
  p.set_claim_resolution_preference(row[20].as<std::string>());
  money(p.mutable_auto_approve_max_value(), row[21]);
  p.set_default_carrier(row[22].as<std::string>());
  p.set_currency_code(currency);
  p.set_risk_review_threshold_milli(row[24].as<int32_t>());
  p.set_risk_instant_exchange_max_milli(row[25].as<int32_t>());
  const json by_category = json::parse(row[26].as<std::string>());  // bound: items() of a temporary dangles
  for (const auto& [category, days] : by_category.items()) {
    (*p.mutable_category_return_window_days())[category] = days.get<int32_t>();
  }
  const json by_sku = json::parse(row[27].as<std::string>());
  for (const auto& [sku, days] : by_sku.items()) {
    (*p.mutable_sku_return_window_days())[sku] = days.get<int32_t>();
  }
  for (const json& category : json::parse(row[28].as<std::string>())) {
    p.add_final_sale_categories(category.get<std::string>());
  }
  p.set_restocking_fee_basis_points(row[29].as<int32_t>());
  money(p.mutable_store_credit_restocking_fee(), row[30]);
  p.set_store_credit_restocking_fee_basis_points(row[31].as<int32_t>());
  money(p.mutable_return_label_cost(), row[32]);
  money(p.mutable_handling_cost_per_return(), row[33]);
  return p;
}

}  // namespace returns::storage
