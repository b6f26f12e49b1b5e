#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ListJobs(const AppContext& app, const CallContext& call,
                      const v1::ListJobsRequest& request, v1::ListJobsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state_filter =
      request.state() == v1::JOB_STATE_UNSPECIFIED ? "" : v1::JobState_Name(request.state()).substr(10);
  const std::string scope = absl::StrCat(call.merchant_id, "|ListJobs|", state_filter);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListJobs", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("jobs/list_jobs", call.merchant_id, state_filter, position->time_us,
                        position->id, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_jobs() = storage::JobFromRow(rows[i]);
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[9].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
