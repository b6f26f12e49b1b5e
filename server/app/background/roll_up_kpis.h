#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"

// The KPI rollups (docs/kpis.md): the figures of days that are over, written once into kpi_daily
// and kpi_resolution_days. GetKpis writes what its range lacks; the sweeper writes yesterday and
// backfills older days in the background, so GetKpis rarely has to.
namespace returns::app {

// Writes the days of [first, last] that are not rolled up yet, a week per transaction under the
// merchant's rollup lock, so work done before a deadline is kept. Only days that are over (final
// by kpis/clock.sql: an hour after they end, by the database's clock) and within
// domain/calendar_day.h's accepted range are written, whatever [first, last] asks: the rest of it
// is left alone, since a day rolled up is never computed again.
absl::Status RollUpKpiDays(const AppContext& app, const std::string& merchant_id,
                           absl::CivilDay first, absl::CivilDay last, absl::Time deadline);

// One background step: for up to `merchants` merchants (in random order) with a final day not
// rolled up, the week ending at their newest such day; a merchant that fails is logged and
// skipped. Returns how many merchants it rolled up.
absl::StatusOr<int> RollUpMissingKpiDays(const AppContext& app, int merchants, absl::Time deadline);

}  // namespace returns::app
