#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

// Days as the API and the SQL statements write them: strict ISO 8601 calendar dates, YYYY-MM-DD,
// always with four digits of year. Pure.
//
// Never absl::FormatCivilTime / absl::ParseCivilTime for days: FormatCivilTime does not pad a year
// below 1000 ("1-12-31"), which PostgreSQL reads as 2031-01-12, and ParseCivilTime accepts what
// ISO 8601 does not (a leading space or sign, one-digit months and days, years of any width).
namespace returns {

// The days the service accepts (GetKpis start_date and end_date): 2000-01-01 through 2999-12-31.
// Every figure the KPIs count is attributed to a time the server's clock wrote (an order's first
// sync, a return's request, a resolution...), so nothing can fall before 2000; and a bound of four
// digits on both sides keeps every accepted day printable as YYYY, sortable as text and read the
// same way by PostgreSQL whatever its DateStyle. Rollups outside this range are never written
// (and migration V0029 drops any that were).
inline constexpr int kFirstKpiYear = 2000;
inline constexpr int kLastKpiYear = 2999;
inline constexpr absl::CivilDay kFirstKpiDay(kFirstKpiYear, 1, 1);
inline constexpr absl::CivilDay kLastKpiDay(kLastKpiYear, 12, 31);

// The day `text` names if it is exactly YYYY-MM-DD (four, two and two ASCII digits, nothing
// before or after), a real calendar date (no February 30th), with a year in
// [kFirstKpiYear, kLastKpiYear]; nullopt otherwise.
std::optional<absl::CivilDay> ParseIsoDay(absl::string_view text);

// `day` as YYYY-MM-DD, the year zero-padded to four digits (0001-01-01). Years beyond 9999 or
// before 0 (never accepted by ParseIsoDay) print with their extra digits or sign.
std::string IsoDay(absl::CivilDay day);

// What a refused day must be, for an INVALID_ARGUMENT's description: "must be a day as
// YYYY-MM-DD from 2000-01-01 to 2999-12-31".
std::string IsoDayRequirement();

}  // namespace returns
