#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "returns/v1/analytics_service.pb.h"

// AnalyticsService (docs/kpis.md).
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

// What returns cost and how they go, from daily rollups (docs/kpis.md; get_kpis.cc).
absl::Status GetKpis(const AppContext& app, const CallContext& call,
                     const v1::GetKpisRequest& request, v1::Kpis* response);

}  // namespace returns::app
