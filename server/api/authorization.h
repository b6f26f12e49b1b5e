#pragma once

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "app/common/app_context.h"

namespace returns::api {

// Which roles may call which method ("returns.v1.ReturnService/CreateReturn"), read at start from
// the allowed_roles option each method of the contract declares (proto/returns/v1/access.proto).
// `grpcurl describe` or the service files show it; a test fails on a method without roles.
const std::map<std::string, std::set<v1::ApiKeyRole>>& MethodRoles();

// OK, or PERMISSION_DENIED when `principal`'s role may not call `method`
// ("returns.v1.ReturnService/CreateReturn"). A method missing from the table is denied.
absl::Status Authorize(const app::Principal& principal, const std::string& method);

}  // namespace returns::api
