#pragma once

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "app/app_context.h"

namespace returns::api {

// Which roles may call which method: the whole contract, in one table an auditor can read in one
// screen (authorization.cc). A test fails when a method exists without an entry.
const std::map<std::string, std::set<v1::ApiKeyRole>>& MethodRoles();

// OK, or PERMISSION_DENIED when `principal`'s role may not call `method`
// ("returns.v1.ReturnService/CreateReturn"). A method missing from the table is denied.
absl::Status Authorize(const app::Principal& principal, const std::string& method);

}  // namespace returns::api
