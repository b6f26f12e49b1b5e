#include "app/background/roll_up_kpis.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "domain/calendar_day.h"
#include "storage/kpi_store.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

constexpr int kDaysPerTransaction = 7;

// A day the database wrote (to_char(..., 'YYYY-MM-DD')).
absl::StatusOr<absl::CivilDay> DatabaseDay(const std::string& text) {
  if (std::optional<absl::CivilDay> day = ParseIsoDay(text)) return *day;
  return absl::InternalError(absl::StrCat("the database's day \"", text, "\" is outside ",
                                          IsoDay(kFirstKpiDay), " to ", IsoDay(kLastKpiDay)));
}

}  // namespace

absl::Status RollUpKpiDays(const AppContext& app, const std::string& merchant_id,
                           absl::CivilDay first, absl::CivilDay last, absl::Time deadline) {
  // Only days of the accepted range; and only days that are over, whatever the caller asked:
  // a day rolled up is never computed again, so one written early would keep its partial figures
  // for good (kpis/roll_up_days.sql and kpis/missing_days.sql refuse them too).
  first = std::max(first, kFirstKpiDay);
  last = std::min(last, kLastKpiDay);
  std::vector<absl::CivilDay> missing;
  if (absl::Status s = storage::RunTransaction(
          *app.pool, "RollUpKpiDays.missing", deadline,
          [&](storage::Tx& tx) {
            missing.clear();
            storage::KpiStore kpis(tx);
            absl::StatusOr<absl::CivilDay> final_day = DatabaseDay(kpis.Clock().last_final_day);
            if (!final_day.ok()) return final_day.status();
            const absl::CivilDay until = std::min(last, *final_day);
            if (first > until) return absl::OkStatus();
            for (const std::string& text :
                 kpis.MissingDays(merchant_id, IsoDay(first), IsoDay(until))) {
              absl::StatusOr<absl::CivilDay> day = DatabaseDay(text);
              if (!day.ok()) return day.status();
              missing.push_back(*day);
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
    absl::Status s =
        storage::RunTransaction(*app.pool, "RollUpKpiDays", deadline, [&](storage::Tx& tx) {
          storage::KpiStore kpis(tx);
          kpis.LockRollup(merchant_id);
          kpis.RollUpDays(merchant_id, IsoDay(from), IsoDay(to));
          return absl::OkStatus();
        });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> RollUpMissingKpiDays(const AppContext& app, int merchants,
                                         absl::Time deadline) {
  std::vector<std::pair<std::string, absl::CivilDay>> todo;
  if (absl::Status s = storage::RunTransaction(
          *app.pool, "RollUpMissingKpiDays", deadline,
          [&](storage::Tx& tx) {
            todo.clear();
            storage::KpiStore kpis(tx);
            const std::string last_final = kpis.Clock().last_final_day;
            for (const storage::MerchantMissingRollup& missing :
                 kpis.MerchantsMissingRollups(last_final, merchants)) {
              absl::StatusOr<absl::CivilDay> newest = DatabaseDay(missing.missing_day);
              if (!newest.ok()) {  // a merchant with days before the range: nothing of it to roll
                                   // up there
                log::Warn("KPI rollup skipped a day outside the accepted range",
                          {{"merchant_id", missing.merchant_id}, {"day", missing.missing_day}});
                continue;
              }
              todo.emplace_back(missing.merchant_id, *newest);
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
    if (absl::Status s =
            RollUpKpiDays(app, merchant_id, newest - (kDaysPerTransaction - 1), newest, deadline);
        !s.ok()) {
      log::Warn("KPI rollup of a merchant failed",
                {{"merchant_id", merchant_id}, {"error", std::string(s.message())}});
      continue;
    }
    ++rolled;
  }
  return rolled;
}

}  // namespace returns::app
