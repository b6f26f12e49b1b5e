#include "storage/return_store.h"

#include "storage/field_reading.h"
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "domain/settlement_plan.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

// A plan stored by a newer release may carry fields this one does not know: they are skipped,
// not a reason to rebuild the plan.
google::protobuf::util::JsonParseOptions PlanParseOptions() {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  return options;
}

using google::protobuf::util::TimeUtil;
using nlohmann::json;

void SetMoney(v1::Money* money, const std::string& currency, int64_t amount_minor) {
  money->set_currency_code(currency);
  money->set_amount_minor(amount_minor);
}

// A row of returns/get_return.sql or returns/list_returns.sql.
v1::Return ReturnFromRow(const pqxx::row& row) {
  v1::Return ret;
  ret.set_return_id(row["return_id"].as<std::string>());
  ret.set_order_id(row["order_id"].as<std::string>());
  ret.set_state(ParseEnum<v1::ReturnState>(row["state"].as<std::string>())
                    .value_or(v1::RETURN_STATE_UNSPECIFIED));
  ret.set_cancel_reason(row["cancel_reason"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return ret.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return ret.mutable_update_time(); });
  ret.set_etag(absl::StrCat("\"", row["version"].as<int64_t>(), "\""));
  const std::string currency = row["currency_code"].as<std::string>();
  const json lines = json::parse(row["lines"].as<std::string>());
  for (const json& l : lines) {
    v1::ReturnLine* line = ret.add_lines();
    line->set_order_line_id(l.at("order_line_id").get<std::string>());
    line->set_quantity(l.at("quantity").get<int32_t>());
    line->set_reason(EnumFromName<v1::ReturnReason>(l.at("reason").get<std::string>()));
    line->set_reason_note(l.at("reason_note").get<std::string>());
    line->set_resolution(EnumFromName<v1::Resolution>(l.at("resolution").get<std::string>()));
    line->set_replacement_sku(l.at("replacement_sku").get<std::string>());
    line->set_condition(EnumFromName<v1::ItemCondition>(l.at("condition").get<std::string>()));
    // The prices and quote snapshotted when the return was created.
    SetMoney(line->mutable_unit_price(), currency, l.value("unit_price_minor", int64_t{0}));
    if (line->resolution() == v1::RESOLUTION_EXCHANGE) {
      SetMoney(line->mutable_replacement_unit_price(), currency,
               l.value("replacement_unit_minor", int64_t{0}));
      SetMoney(line->mutable_upsell_amount_due(), currency, l.value("upsell_minor", int64_t{0}));
      SetMoney(line->mutable_downsell_credit(), currency, l.value("downsell_minor", int64_t{0}));
    }
    if (ret.state() == v1::RETURN_STATE_RESOLVED) {
      SetMoney(line->mutable_refund_amount(), currency, l.value("refund_minor", int64_t{0}));
      SetMoney(line->mutable_store_credit_amount(), currency,
               l.value("store_credit_minor", int64_t{0}));
      line->set_withheld(l.value("withheld", false));
    }
  }
  SetMoney(ret.mutable_upsell_total(), currency, row["upsell_minor"].as<int64_t>());
  SetMoney(ret.mutable_downsell_total(), currency, row["downsell_minor"].as<int64_t>());
  if (!row["policy_version"].is_null()) ret.set_policy_version(row["policy_version"].as<int64_t>());
  if (!row["gift_recipient"].is_null()) {
    (void)google::protobuf::util::JsonStringToMessage(row["gift_recipient"].as<std::string>(),
                                                      ret.mutable_gift_recipient());
  }
  ret.set_money_state(EnumFromName<v1::ReturnMoneyState>(row["money_state"].as<std::string>()));
  if (ret.state() == v1::RETURN_STATE_RESOLVED) {
    SetMoney(ret.mutable_bonus_credit_given(), currency, row["bonus_given_minor"].as<int64_t>());
  }
  ret.set_bonus_withdrawn(row["bonus_withdrawn"].as<bool>());
  // The plan it was created with, as quoted (PreviewReturn answers the same); returns created
  // before plans were stored whole rebuild it with the function PreviewReturn used then.
  v1::SettlementPlan stored_plan;
  if (!row["plan"].is_null() && google::protobuf::util::JsonStringToMessage(
                                    row["plan"].as<std::string>(), &stored_plan, PlanParseOptions())
                                    .ok()) {
    *ret.mutable_plan() = std::move(stored_plan);
  } else if (!row["plan_restocking_fee_minor"].is_null() &&
             !row["plan_return_shipping_fee_minor"].is_null()) {
    const int64_t plan_restocking_fee = row["plan_restocking_fee_minor"].as<int64_t>();
    const int64_t plan_return_shipping_fee = row["plan_return_shipping_fee_minor"].as<int64_t>();
    std::vector<PlanLineInput> plan_lines;
    for (const json& l : lines) {
      const bool has_line_fee =
          l.contains("plan_restocking_fee_minor") && !l.at("plan_restocking_fee_minor").is_null();
      plan_lines.push_back(
          {l.at("order_line_id").get<std::string>(), l.at("quantity").get<int32_t>(),
           EnumFromName<v1::Resolution>(l.at("resolution").get<std::string>()),
           l.value("unit_price_minor", int64_t{0}), l.value("upsell_minor", int64_t{0}),
           l.value("downsell_minor", int64_t{0}),
           has_line_fee ? std::optional<int64_t>(l.at("plan_restocking_fee_minor").get<int64_t>())
                        : std::nullopt,
           std::nullopt, 0});
    }
    auto plan = BuildSettlementPlan(plan_lines, {plan_restocking_fee, plan_return_shipping_fee},
                                    currency, ret.policy_version());
    if (plan.ok()) *ret.mutable_plan() = *std::move(plan);
  }
  if (!row["risk"].is_null()) {
    const json risk = json::parse(row["risk"].as<std::string>());
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
    SetMoney(ret.mutable_refund_total(), currency, row["refund_minor"].as<int64_t>());
    SetMoney(ret.mutable_store_credit_total(), currency, row["store_credit_minor"].as<int64_t>());
    SetMoney(ret.mutable_fees_total(), currency, row["fees_minor"].as<int64_t>());
    SetMicros(row["resolve_time_us"], [&] { return ret.mutable_resolve_time(); });
  }
  return ret;
}

}  // namespace

void ReturnStore::CancelReturn(const std::string& merchant_id, const std::string& return_id,
                               const std::string& reason) {
  tx_.Exec(sql::kReturnsCancelReturn, merchant_id, return_id, reason);
}

std::optional<v1::Return> ReturnStore::GetReturn(const std::string& merchant_id,
                                                 const std::string& return_id) {
  const pqxx::result rows = tx_.Exec(sql::kReturnsGetReturn, merchant_id, return_id);
  if (rows.empty()) return std::nullopt;
  return ReturnFromRow(rows[0]);
}

InsertedReturn ReturnStore::InsertReturn(
    const std::string& merchant_id, const std::string& order_id, const std::string& lines_json,
    const std::string& currency_code, int64_t upsell_minor, int64_t downsell_minor,
    int64_t policy_version, int64_t plan_restocking_fee_minor,
    int64_t plan_return_shipping_fee_minor, const std::string& plan_json,
    int64_t shipping_refund_minor, const std::optional<std::string>& gift_recipient_json) {
  const pqxx::result rows = tx_.Exec(sql::kReturnsInsertReturn, merchant_id, order_id, lines_json,
                                     currency_code, upsell_minor, downsell_minor, policy_version,
                                     plan_restocking_fee_minor, plan_return_shipping_fee_minor,
                                     plan_json, shipping_refund_minor, gift_recipient_json);
  const pqxx::row row = rows[0];
  InsertedReturn inserted;
  inserted.return_id = row["return_id"].as<std::string>();
  inserted.create_time_us = row["create_time_us"].as<int64_t>();
  return inserted;
}

std::vector<std::string> ReturnStore::ListReturnLineIds(const std::string& merchant_id,
                                                        const std::string& return_id) {
  std::vector<std::string> ids;
  for (const auto& row : tx_.Exec(sql::kReturnsListReturnLineIds, merchant_id, return_id)) {
    ids.push_back(row["order_line_id"].as<std::string>());
  }
  return ids;
}

std::vector<ListedReturn> ReturnStore::ListReturns(const std::string& merchant_id,
                                                   const std::string& order_id,
                                                   const std::string& state,
                                                   const std::string& after_create_time_us,
                                                   const std::string& after_return_id, int limit) {
  std::vector<ListedReturn> returns;
  for (const auto& row : tx_.Exec(sql::kReturnsListReturns, merchant_id, order_id, state,
                                  after_create_time_us, after_return_id, limit)) {
    ListedReturn listed;
    listed.resource = ReturnFromRow(row);
    listed.create_time_us = row["create_time_us"].as<int64_t>();
    returns.push_back(std::move(listed));
  }
  return returns;
}

std::optional<LockedReturnRow> ReturnStore::LockReturn(const std::string& merchant_id,
                                                       const std::string& return_id) {
  const pqxx::result rows = tx_.Exec(sql::kReturnsLockReturn, merchant_id, return_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  LockedReturnRow locked;
  locked.state = row["state"].as<std::string>();
  locked.version = row["version"].as<int64_t>();
  locked.order_id = row["order_id"].as<std::string>();
  return locked;
}

void ReturnStore::ReceiveReturn(const std::string& merchant_id, const std::string& return_id,
                                const std::string& items_json) {
  tx_.Exec(sql::kReturnsReceiveReturn, merchant_id, return_id, items_json);
}

void ReturnStore::RejectReturn(const std::string& merchant_id, const std::string& return_id,
                               const std::string& reason) {
  tx_.Exec(sql::kReturnsRejectReturn, merchant_id, return_id, reason);
}

std::vector<ResolutionLineRow> ReturnStore::ResolutionLines(const std::string& merchant_id,
                                                            const std::string& return_id) {
  std::vector<ResolutionLineRow> lines;
  for (const auto& row : tx_.Exec(sql::kReturnsResolutionLines, merchant_id, return_id)) {
    ResolutionLineRow line;
    line.order_line_id = row["order_line_id"].as<std::string>();
    line.resolution = row["resolution"].as<std::string>();
    line.unit_price_minor = row["unit_price_minor"].as<int64_t>();
    line.quantity = row["quantity"].as<int32_t>();
    line.condition = row["condition"].as<std::string>();
    line.replacement_sku = row["replacement_sku"].as<std::string>();
    line.currency_code = row["currency_code"].as<std::string>();
    line.upsell_minor = row["upsell_minor"].as<int64_t>();
    line.downsell_minor = row["downsell_minor"].as<int64_t>();
    line.plan_restocking_fee_minor = Nullable<int64_t>(row["plan_restocking_fee_minor"]);
    line.plan_return_shipping_fee_minor = Nullable<int64_t>(row["plan_return_shipping_fee_minor"]);
    line.line_restocking_fee_minor = Nullable<int64_t>(row["line_restocking_fee_minor"]);
    line.paid_minor = Nullable<int64_t>(row["paid_minor"]);
    line.shipping_refund_minor = row["shipping_refund_minor"].as<int64_t>();
    line.gift_recipient = Nullable<std::string>(row["gift_recipient"]);
    line.bonus_credit_minor = row["bonus_credit_minor"].as<int64_t>();
    lines.push_back(std::move(line));
  }
  return lines;
}

void ReturnStore::ResolveReturn(const std::string& merchant_id, const std::string& return_id,
                                const std::string& lines_json, int64_t refund_minor,
                                int64_t store_credit_minor, int64_t fees_minor,
                                int64_t upsell_minor, int64_t downsell_minor,
                                int64_t bonus_credit_minor, int64_t exchange_bonus_minor) {
  tx_.Exec(sql::kReturnsResolveReturn, merchant_id, return_id, lines_json, refund_minor,
           store_credit_minor, fees_minor, upsell_minor, downsell_minor, bonus_credit_minor,
           exchange_bonus_minor);
}

bool ReturnStore::WithdrawBonus(const std::string& merchant_id, const std::string& return_id) {
  return !tx_.Exec(sql::kReturnsWithdrawBonus, merchant_id, return_id).empty();
}

int64_t ReturnStore::ReturnValue(const std::string& merchant_id, const std::string& return_id) {
  const pqxx::result rows = tx_.Exec(sql::kReturnsReturnValue, merchant_id, return_id);
  return rows[0]["value_minor"].as<int64_t>();
}

RiskFactsRow ReturnStore::RiskFacts(const std::string& merchant_id, const std::string& return_id) {
  const pqxx::result rows = tx_.Exec(sql::kReturnsRiskFacts, merchant_id, return_id);
  const pqxx::row row = rows[0];
  RiskFactsRow facts;
  facts.units_bought = row["units_bought"].as<int64_t>();
  facts.units_returned_elsewhere = row["units_returned_elsewhere"].as<int64_t>();
  facts.recent_claims = row["recent_claims"].as<int32_t>();
  facts.days_since_delivery = row["days_since_delivery"].as<double>();
  facts.order_value_minor = row["order_value_minor"].as<int64_t>();
  facts.order_units = row["order_units"].as<int64_t>();
  facts.return_units = row["return_units"].as<int64_t>();
  return facts;
}

void ReturnStore::SetReturnRisk(const std::string& merchant_id, const std::string& return_id,
                                const std::string& risk_json) {
  tx_.Exec(sql::kReturnsSetReturnRisk, merchant_id, return_id, risk_json);
}

void ReturnStore::SetReturnState(const std::string& merchant_id, const std::string& return_id,
                                 const std::string& state) {
  tx_.Exec(sql::kReturnsSetReturnState, merchant_id, return_id, state);
}

}  // namespace returns::storage
