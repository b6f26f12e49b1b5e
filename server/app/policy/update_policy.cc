#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/common/idempotency.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/policy/policy_use_cases.h"
#include "common/proto_json.h"
#include "domain/errors.h"
#include "domain/policy_rules.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "integrations/integrations.h"
#include "storage/policy_store.h"
#include "domain/event_types.h"

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
  storage::PolicyStore(tx).InsertPolicyVersion(
      call.merchant_id, policy.version(), json.ok() ? *json : std::string("{}"), actor, reason,
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(policy.update_time()));
}

}  // namespace

absl::Status UpdatePolicy(const AppContext& app, CallContext& call,
                          const v1::UpdatePolicyRequest& request, v1::Policy* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::PolicyStore policies(tx);
    // Every merchant has a policy (merchants/insert_merchant.sql makes it).
    const v1::Policy current = policies.LockPolicy(call.merchant_id).value();
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
    if (app.integrations != nullptr &&
        app.integrations->Carrier(next.default_carrier()) == nullptr) {
      return PreconditionError(
          reason::kUnknownCarrier,
          absl::StrCat("policy.default_carrier: no adapter for \"", next.default_carrier(),
                       "\" on this server"),
          {{"field", "policy.default_carrier"}, {"carrier", next.default_carrier()}});
    }
    // The version replaced is kept first (the default one has no row until it is replaced).
    KeepVersion(tx, call, current, current.version() == 1 ? "default" : "unknown", "");
    policies.UpdatePolicy(call.merchant_id, next);
    *response = policies.GetPolicy(call.merchant_id).value();
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
                     Transition{"", "policy", call.merchant_id, event_type::kPolicyUpdated,
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
