#include "app/returns/return_risk.h"

#include "storage/return_store.h"

namespace returns::app {

nlohmann::json RiskJson(const RiskScore& score) {
  nlohmann::json factors = nlohmann::json::array();
  for (const RiskFactor& f : score.factors) {
    factors.push_back({{"factor", f.factor},
                       {"contribution_milli", f.contribution_milli},
                       {"explanation", f.explanation}});
  }
  return {{"score_milli", score.score_milli},
          {"model_version", score.model_version},
          {"factors", factors}};
}

RiskScore ScoreAndKeepReturnRisk(storage::Tx& tx, const CallContext& call,
                                 const std::string& return_id) {
  storage::ReturnStore return_store(tx);
  const storage::RiskFactsRow row = return_store.RiskFacts(call.merchant_id, return_id);
  const int64_t bought = row.units_bought;
  const int64_t returned = row.units_returned_elsewhere;
  const int64_t order_units = row.order_units;
  RiskFacts facts;
  facts.return_rate = bought > 0 ? static_cast<double>(returned) / bought : 0;
  facts.claims_last_year = row.recent_claims;
  facts.days_since_delivery = row.days_since_delivery;
  facts.order_value_minor = row.order_value_minor;
  facts.share_returned = order_units > 0 ? static_cast<double>(row.return_units) / order_units : 0;
  RiskScore score = ScoreReturnRisk(facts);
  return_store.SetReturnRisk(call.merchant_id, return_id, RiskJson(score).dump());
  return score;
}

}  // namespace returns::app
