#include "app/return_risk.h"

namespace returns::app {

nlohmann::json RiskJson(const RiskScore& score) {
  nlohmann::json factors = nlohmann::json::array();
  for (const RiskFactor& f : score.factors) {
    factors.push_back({{"factor", f.factor}, {"contribution_milli", f.contribution_milli}, {"explanation", f.explanation}});
  }
  return {{"score_milli", score.score_milli}, {"model_version", score.model_version}, {"factors", factors}};
}

RiskScore ScoreAndKeepReturnRisk(storage::Tx& tx, const CallContext& call, const std::string& return_id) {
  const auto row = tx.Exec("returns/risk_facts", call.merchant_id, return_id)[0];
  const int64_t bought = row[0].as<int64_t>();
  const int64_t returned = row[1].as<int64_t>();
  const int64_t order_units = row[5].as<int64_t>();
  RiskFacts facts;
  facts.return_rate = bought > 0 ? static_cast<double>(returned) / bought : 0;
  facts.claims_last_year = row[2].as<int>();
  facts.days_since_delivery = row[3].as<double>();
  facts.order_value_minor = row[4].as<int64_t>();
  facts.share_returned = order_units > 0 ? static_cast<double>(row[6].as<int64_t>()) / order_units : 0;
  const RiskScore score = ScoreReturnRisk(facts);
  tx.Exec("returns/set_return_risk", call.merchant_id, return_id, RiskJson(score).dump());
  return score;
}

}  // namespace returns::app
