#include "app/roll_up_kpis.h"

#include <vector>

#include "absl/status/statusor.h"
#include "common/log.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

constexpr int kDaysPerTransaction = 7;

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);
  return day;
}

}  // namespace

absl::Status RollUpKpiDays(const AppContext& app, const std::string& merchant_id, absl::CivilDay first,
                           absl::CivilDay last, absl::Time deadline) {
  std::vector<absl::CivilDay> missing;
  if (absl::Status s = storage::RunTransaction(*app.pool, "RollUpKpiDays.missing", deadline, [&](storage::Tx& tx) {
        missing.clear();
        for (const auto& row : tx.Exec("kpis/missing_days", merchant_id, absl::FormatCivilTime(first),
                                       absl::FormatCivilTime(last))) {
          missing.push_back(ParseDay(row[0].as<std::string>()));
        }
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < missing.size();) {
    const absl::CivilDay from = missing[i];
    absl::CivilDay to = from;
    while (i < missing.size() && missing[i] - from < kDaysPerTransaction) to = missing[i++];
    absl::Status s = storage::RunTransaction(*app.pool, "RollUpKpiDays", deadline, [&](storage::Tx& tx) {
      tx.Exec("kpis/lock_rollup", merchant_id);
      tx.Exec("kpis/roll_up_days", merchant_id, absl::FormatCivilTime(from), absl::FormatCivilTime(to));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> RollUpMissingKpiDays(const AppContext& app, int merchants, absl::Time deadline) {
  std::vector<std::pair<std::string, absl::CivilDay>> todo;
  if (absl::Status s = storage::RunTransaction(*app.pool, "RollUpMissingKpiDays", deadline, [&](storage::Tx& tx) {
        todo.clear();
        const std::string last_final = tx.Exec("kpis/clock")[0][1].as<std::string>();
        for (const auto& row : tx.Exec("kpis/merchants_missing_rollups", last_final, merchants)) {
          todo.emplace_back(row[0].as<std::string>(), ParseDay(row[1].as<std::string>()));
        }
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  // One merchant's failure (a week too big for the time left, say) is logged and the others go
  // on; it is tried again, among others in random order, at the next step.
  int rolled = 0;
  for (const auto& [merchant_id, newest] : todo) {
    if (absl::Now() >= deadline) break;
    if (absl::Status s = RollUpKpiDays(app, merchant_id, newest - (kDaysPerTransaction - 1), newest, deadline); !s.ok()) {
      log::Warn("KPI rollup of a merchant failed", {{"merchant_id", merchant_id}, {"error", std::string(s.message())}});
      continue;
    }
    ++rolled;
  }
  return rolled;
}

}  // namespace returns::app
