#include "domain/calendar_day.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace returns {
namespace {

// The value of text[from, from + n) if it is n ASCII digits; -1 otherwise.
int Digits(absl::string_view text, size_t from, size_t n) {
  int value = 0;
  for (size_t i = from; i < from + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<absl::CivilDay> ParseIsoDay(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  if (year < kFirstKpiYear || year > kLastKpiYear || month < 1 || month > 12 || day < 1)
    return std::nullopt;
  // CivilDay normalises an impossible date (2024-02-30 becomes 2024-03-01): a real one is kept.
  const absl::CivilDay parsed(year, month, day);
  if (parsed.month() != month || parsed.day() != day) return std::nullopt;
  return parsed;
}

std::string IsoDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", static_cast<long long>(day.year()), day.month(),
                         day.day());
}

std::string IsoDayRequirement() {
  return absl::StrCat("must be a day as YYYY-MM-DD from ", IsoDay(kFirstKpiDay), " to ",
                      IsoDay(kLastKpiDay));
}

}  // namespace returns
