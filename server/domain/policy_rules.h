#pragma once

#include "absl/status/status.h"
#include "returns/v1/policy.pb.h"

// What a policy may hold (PolicyService.UpdatePolicy): the same ranges the database's CHECKs
// enforce, refused as INVALID_ARGUMENT naming "policy.<field>".
namespace returns {

absl::Status ValidatePolicy(const v1::Policy& policy);

}  // namespace returns
