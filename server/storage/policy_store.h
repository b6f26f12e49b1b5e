#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/policy.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// policies/get_orchestration_policy.sql: the policy fields approval, labels and resolution use.
struct OrchestrationPolicyRow {
  int64_t auto_approve_max_minor = 0;
  std::string default_carrier;
  int64_t restocking_fee_minor = 0;
  int64_t return_shipping_fee_minor = 0;
  int32_t risk_review_threshold_milli = 0;
  std::string refund_tender_order;  // JSON array of TenderKind short names
};

// policies/get_policy_version.sql and policies/list_policy_versions.sql: a kept version.
struct PolicyVersionRow {
  int64_t version = 0;
  std::string policy;  // the v1.Policy of that version, JSON
  std::string actor;
  std::string reason;
  int64_t create_time_us = 0;
};

// The statements of storage/sql/policies/ (the merchant's policy and its kept versions), with
// their rows read by column name. The policy's columns are mapped to and from v1::Policy here
// alone.
class PolicyStore {
 public:
  explicit PolicyStore(Tx& tx) : tx_(tx) {}

  // policies/get_orchestration_policy.sql: nullopt when the merchant has no policy.
  std::optional<OrchestrationPolicyRow> GetOrchestrationPolicy(const std::string& merchant_id);
  // policies/get_policy.sql: the whole current policy; nullopt when the merchant has none.
  std::optional<v1::Policy> GetPolicy(const std::string& merchant_id);
  // policies/get_policy_version.sql: a kept version; nullopt when it is not kept.
  std::optional<PolicyVersionRow> GetPolicyVersion(const std::string& merchant_id, int64_t version);
  // policies/insert_policy_version.sql: keeps `policy_json` as `version` (a no-op when it is kept
  // already), with when it took effect.
  void InsertPolicyVersion(const std::string& merchant_id, int64_t version,
                           const std::string& policy_json, const std::string& actor,
                           const std::string& reason, int64_t create_time_us);
  // policies/list_policy_versions.sql: kept versions below `before_version`, newest first.
  std::vector<PolicyVersionRow> ListPolicyVersions(const std::string& merchant_id,
                                                   int64_t before_version, int limit);
  // policies/lock_policy.sql: the whole current policy, locked FOR UPDATE; nullopt when the
  // merchant has none.
  std::optional<v1::Policy> LockPolicy(const std::string& merchant_id);
  // policies/update_policy.sql: writes every settable field of `policy` as the next version;
  // returns its number.
  int64_t UpdatePolicy(const std::string& merchant_id, const v1::Policy& policy);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
