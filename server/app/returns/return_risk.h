#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/common/app_context.h"
#include "domain/risk_score.h"
#include "storage/transaction.h"

// A return's risk score (domain/risk_score.h), computed from the database when the return is
// created and kept with it (returns.risk), so every later use reads the same score.
namespace returns::app {

// Scores the return `return_id` (just inserted) and keeps the score with it.
RiskScore ScoreAndKeepReturnRisk(storage::Tx& tx, const CallContext& call,
                                 const std::string& return_id);

// The kept score as JSON: {"score_milli", "model_version", "factors": [...]} (also a Decision's
// inputs).
nlohmann::json RiskJson(const RiskScore& score);

}  // namespace returns::app
