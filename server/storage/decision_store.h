#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/decision.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// decisions/list_decisions.sql: a decision and the create time its page position is made of.
struct ListedDecision {
  v1::Decision resource;
  int64_t create_time_us = 0;
};

// The statements of storage/sql/decisions/ (the audit log of automated decisions and a person's
// overrides), with their rows read by column name.
class DecisionStore {
 public:
  explicit DecisionStore(Tx& tx) : tx_(tx) {}

  // decisions/get_decision.sql: the decision, read before its subject is locked; nullopt when
  // there is none.
  std::optional<v1::Decision> GetDecision(const std::string& merchant_id,
                                          const std::string& decision_id);
  // decisions/insert_decision.sql: records an automated decision (`inputs_json` an object,
  // `reasons_json` an array).
  void InsertDecision(const std::string& merchant_id, const std::string& kind,
                      const std::string& subject, const std::string& inputs_json,
                      const std::string& rule_version, int score_milli, const std::string& outcome,
                      const std::string& reasons_json);
  // decisions/insert_decision_once.sql: records the decision unless one of this kind for this
  // subject and request id exists; returns its decision_id either way.
  std::string InsertDecisionOnce(const std::string& merchant_id, const std::string& kind,
                                 const std::string& subject, const std::string& inputs_json,
                                 const std::string& rule_version, const std::string& outcome,
                                 const std::string& reasons_json, const std::string& request_id);
  // decisions/list_decisions.sql: a page of decisions, newest first ('' filters match all;
  // `overridden` is '', "yes" or "no").
  std::vector<ListedDecision> ListDecisions(const std::string& merchant_id,
                                            const std::string& subject,
                                            const std::string& before_create_time_us,
                                            const std::string& before_decision_id, int limit,
                                            const std::string& outcome, int64_t start_time_us,
                                            int64_t end_time_us, const std::string& overridden,
                                            const std::string& kind);
  // decisions/lock_decision.sql: the decision locked FOR UPDATE; nullopt when there is none.
  std::optional<v1::Decision> LockDecision(const std::string& merchant_id,
                                           const std::string& decision_id);
  // decisions/override_decision.sql: a person's outcome over every escalated decision of `kind`
  // about `subject` still open; the decision_ids overridden.
  std::vector<std::string> OverrideDecision(const std::string& merchant_id, const std::string& kind,
                                            const std::string& subject,
                                            const std::string& override_outcome,
                                            const std::string& override_actor,
                                            const std::string& override_note);
  // decisions/set_override.sql: a person's outcome over the decision; false when it was
  // overridden already.
  bool SetOverride(const std::string& merchant_id, const std::string& decision_id,
                   const std::string& override_outcome, const std::string& override_actor,
                   const std::string& override_note);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
