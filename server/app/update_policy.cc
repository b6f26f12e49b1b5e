#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/idempotency.h"
#include "app/record_decision.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "common/proto_json.h"
#include "domain/errors.h"
#include "domain/policy_rules.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "integrations/integrations.h"
#include "storage/rows.h"

namespace returns::app {
namespace {

using google::protobuf::util::FieldMaskUtil;

// The fields a caller may set (everything but the output-only ones).
bool IsSettable(const std::string& path) {
  return path != "update_time" && path != "etag" && path != "version";
}

// Keeps `policy` as version `version` in policy_versions (a no-op when kept already).
void KeepVersion(storage::Tx& tx, const CallContext& call, const v1::Policy& policy,
                 const std::string& actor, const std::string& reason) {
  auto json = ProtoToJson(policy);
  tx.Exec("policies/insert_policy_version", call.merchant_id, policy.version(),
          json.ok() ? *json : std::string("{}"), actor, reason,
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(policy.update_time()));
}

}  // namespace

absl::Status UpdatePolicy(const AppContext& app, CallContext& call, const v1::UpdatePolicyRequest& request,
                          v1::Policy* response) {
  return RunIdempotent(app, call, "UpdatePolicy", request, response, [&](storage::Tx& tx) {
    const v1::Policy current = storage::PolicyFromRow(tx.Exec("policies/lock_policy", call.merchant_id)[0]);
    if (!request.policy().etag().empty() && request.policy().etag() != current.etag()) {
      return ErrorWithReason(absl::StatusCode::kAborted, reason::kEtagMismatch,
                             "the policy changed since it was read; read it again",
                             {{"etag", current.etag()}});
    }
    v1::Policy next = current;
    if (request.update_mask().paths().empty()) {
      next = request.policy();
    } else {
      FieldMaskUtil::MergeOptions options;
      options.set_replace_message_fields(true);
      options.set_replace_repeated_fields(true);
      FieldMaskUtil::MergeMessageTo(request.policy(), request.update_mask(), options, &next);
    }
    if (absl::Status s = ValidatePolicy(next); !s.ok()) return s;
    if (app.integrations != nullptr && app.integrations->Carrier(next.default_carrier()) == nullptr) {
      return PreconditionError(reason::kUnknownCarrier,
                               absl::StrCat("policy.default_carrier: no adapter for \"", next.default_carrier(),
                                            "\" on this server"),
                               {{"field", "policy.default_carrier"}, {"carrier", next.default_carrier()}});
    }
    // The version replaced is kept first (the default one has no row until it is replaced).
    KeepVersion(tx, call, current, current.version() == 1 ? "default" : "unknown", "");
    nlohmann::json skus = nlohmann::json::array();
    for (const auto& sku : next.final_sale_skus()) skus.push_back(sku);
    tx.Exec("policies/update_policy", call.merchant_id, next.return_window_days(),
            next.restocking_fee().amount_minor(), next.return_shipping_fee().amount_minor(),
            next.instant_exchange_enabled(), next.instant_exchange_max_item_value().amount_minor(),
            next.exchange_token_ttl_days(), next.charge_window_days(), next.require_collateral(),
            next.claim_auto_approve_max_value().amount_minor(), skus.dump(), next.transit_window_days(),
            next.claim_lost_grace_days(), next.claim_window_days(), next.claim_stolen_window_days(),
            next.claim_damage_window_days(), next.claim_max_customer_claims(),
            next.claim_photo_required(), next.claim_min_damage_confidence_milli(),
            next.claim_resolution_preference(), next.auto_approve_max_value().amount_minor(),
            next.default_carrier(), next.currency_code(), next.risk_review_threshold_milli(),
            next.risk_instant_exchange_max_milli(),
            nlohmann::json(std::map<std::string, int32_t>(next.category_return_window_days().begin(),
                                                          next.category_return_window_days().end())).dump(),
            nlohmann::json(std::map<std::string, int32_t>(next.sku_return_window_days().begin(),
                                                          next.sku_return_window_days().end())).dump(),
            nlohmann::json(std::vector<std::string>(next.final_sale_categories().begin(),
                                                    next.final_sale_categories().end())).dump(),
            next.restocking_fee_basis_points(), next.store_credit_restocking_fee().amount_minor(),
            next.store_credit_restocking_fee_basis_points(), next.return_label_cost().amount_minor(),
            next.handling_cost_per_return().amount_minor());
    *response = storage::PolicyFromRow(tx.Exec("policies/get_policy", call.merchant_id)[0]);
    KeepVersion(tx, call, *response, ActorName(call), request.reason());
    // What changed, in words, for the timeline; the payload is the whole new policy.
    std::vector<std::string> changed;
    for (int i = 0; i < v1::Policy::descriptor()->field_count(); ++i) {
      const auto* field = v1::Policy::descriptor()->field(i);
      if (!IsSettable(field->name())) continue;
      v1::Policy a, b;
      FieldMaskUtil::MergeOptions options;
      google::protobuf::FieldMask one;
      one.add_paths(field->name());
      FieldMaskUtil::MergeMessageTo(current, one, options, &a);
      FieldMaskUtil::MergeMessageTo(*response, one, options, &b);
      if (a.SerializeAsString() != b.SerializeAsString()) changed.push_back(field->name());
    }
    RecordTransition(tx, call,
                     Transition{"", "policy", call.merchant_id, "policy.updated",
                                absl::StrCat("v", response->version()),
                                absl::StrCat("Policy version ", response->version(), " by key ",
                                             call.principal.key_id, ": ",
                                             changed.empty() ? std::string("no field changed")
                                                             : absl::StrJoin(changed, ", "),
                                             request.reason().empty() ? "" : " (", request.reason(),
                                             request.reason().empty() ? "" : ")"),
                                response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
