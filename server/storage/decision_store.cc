#include "storage/decision_store.h"

#include "storage/field_reading.h"
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "common/enum_text.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

// A row of decisions/get_decision.sql, list_decisions.sql or lock_decision.sql.
v1::Decision DecisionFromRow(const pqxx::row& row) {
  v1::Decision d;
  d.set_decision_id(row["decision_id"].as<std::string>());
  d.set_kind(row["kind"].as<std::string>());
  d.set_subject(row["subject"].as<std::string>());
  const json inputs = json::parse(row["inputs"].as<std::string>());  // must outlive items()
  for (const auto& [key, value] : inputs.items()) {
    (*d.mutable_inputs())[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  d.set_rule_version(row["rule_version"].as<std::string>());
  d.set_score_milli(row["score_milli"].as<int32_t>());
  d.set_outcome(EnumFromName<v1::DecisionOutcome>(row["outcome"].as<std::string>()));
  for (const json& reason : json::parse(row["reasons"].as<std::string>())) {
    d.add_reasons(reason.is_string() ? reason.get<std::string>() : reason.dump());
  }
  d.set_override_outcome(
      EnumFromName<v1::DecisionOutcome>(row["override_outcome"].as<std::string>()));
  d.set_override_actor(row["override_actor"].as<std::string>());
  d.set_override_note(row["override_note"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return d.mutable_create_time(); });
  SetMicros(row["override_time_us"], [&] { return d.mutable_override_time(); });
  return d;
}

}  // namespace

std::optional<v1::Decision> DecisionStore::GetDecision(const std::string& merchant_id,
                                                       const std::string& decision_id) {
  const auto rows = tx_.Exec(sql::kDecisionsGetDecision, merchant_id, decision_id);
  if (rows.empty()) return std::nullopt;
  return DecisionFromRow(rows[0]);
}

void DecisionStore::InsertDecision(const std::string& merchant_id, const std::string& kind,
                                   const std::string& subject, const std::string& inputs_json,
                                   const std::string& rule_version, int score_milli,
                                   const std::string& outcome, const std::string& reasons_json) {
  tx_.Exec(sql::kDecisionsInsertDecision, merchant_id, kind, subject, inputs_json, rule_version,
           score_milli, outcome, reasons_json);
}

std::string DecisionStore::InsertDecisionOnce(
    const std::string& merchant_id, const std::string& kind, const std::string& subject,
    const std::string& inputs_json, const std::string& rule_version, const std::string& outcome,
    const std::string& reasons_json, const std::string& request_id) {
  // One row either way: the existing decision's or the inserted one's.
  const auto rows = tx_.Exec(sql::kDecisionsInsertDecisionOnce, merchant_id, kind, subject,
                             inputs_json, rule_version, outcome, reasons_json, request_id);
  return rows[0]["decision_id"].as<std::string>();
}

std::vector<ListedDecision> DecisionStore::ListDecisions(
    const std::string& merchant_id, const std::string& subject,
    const std::string& before_create_time_us, const std::string& before_decision_id, int limit,
    const std::string& outcome, int64_t start_time_us, int64_t end_time_us,
    const std::string& overridden, const std::string& kind) {
  std::vector<ListedDecision> decisions;
  for (const auto& row :
       tx_.Exec(sql::kDecisionsListDecisions, merchant_id, subject, before_create_time_us,
                before_decision_id, limit, outcome, start_time_us, end_time_us, overridden, kind)) {
    decisions.push_back({DecisionFromRow(row), row["create_time_us"].as<int64_t>()});
  }
  return decisions;
}

std::optional<v1::Decision> DecisionStore::LockDecision(const std::string& merchant_id,
                                                        const std::string& decision_id) {
  const auto rows = tx_.Exec(sql::kDecisionsLockDecision, merchant_id, decision_id);
  if (rows.empty()) return std::nullopt;
  return DecisionFromRow(rows[0]);
}

std::vector<std::string> DecisionStore::OverrideDecision(const std::string& merchant_id,
                                                         const std::string& kind,
                                                         const std::string& subject,
                                                         const std::string& override_outcome,
                                                         const std::string& override_actor,
                                                         const std::string& override_note) {
  std::vector<std::string> overridden;
  for (const auto& row : tx_.Exec(sql::kDecisionsOverrideDecision, merchant_id, kind, subject,
                                  override_outcome, override_actor, override_note)) {
    overridden.push_back(row["decision_id"].as<std::string>());
  }
  return overridden;
}

bool DecisionStore::SetOverride(const std::string& merchant_id, const std::string& decision_id,
                                const std::string& override_outcome,
                                const std::string& override_actor,
                                const std::string& override_note) {
  return !tx_.Exec(sql::kDecisionsSetOverride, merchant_id, decision_id, override_outcome,
                   override_actor, override_note)
              .empty();
}

}  // namespace returns::storage
