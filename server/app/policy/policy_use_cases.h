#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/policy_service.pb.h"

// PolicyService: the merchant's policy as versioned data (docs/policy.md).
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status GetPolicy(const AppContext& app, const CallContext& call,
                       const v1::GetPolicyRequest& request, v1::Policy* response);

absl::Status UpdatePolicy(const AppContext& app, CallContext& call,
                          const v1::UpdatePolicyRequest& request, v1::Policy* response);

absl::Status ListPolicyVersions(const AppContext& app, const CallContext& call,
                                const v1::ListPolicyVersionsRequest& request,
                                v1::ListPolicyVersionsResponse* response);

}  // namespace returns::app
