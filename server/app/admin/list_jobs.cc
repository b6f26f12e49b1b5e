#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/admin/admin_use_cases.h"
#include "storage/job_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status ListJobs(const AppContext& app, const CallContext& call,
                      const v1::ListJobsRequest& request, v1::ListJobsResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state_filter =
      request.state() == v1::JOB_STATE_UNSPECIFIED ? "" : EnumText(request.state());
  const std::string scope = absl::StrCat(call.merchant_id, "|ListJobs|", state_filter);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListJobs", call.deadline, [&](storage::Tx& tx) {
    const std::vector<storage::ListedJob> jobs = storage::JobStore(tx).ListJobs(
        call.merchant_id, state_filter, position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(jobs.size(), *page_size);
    for (int i = 0; i < shown; ++i) *response->add_jobs() = jobs[i].resource;
    if (static_cast<int>(jobs.size()) > *page_size) {
      const storage::ListedJob& last = jobs[shown - 1];
      response->set_next_page_token(
          EncodePageToken(app.page_token_secret, scope,
                          {absl::StrCat(last.create_time_us), last.resource.job_id()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
