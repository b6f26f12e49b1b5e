#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"

namespace returns::app {
namespace {
// What an operator's retry grants: as many attempts as a new job has.
constexpr int kRetryAttempts = 8;
}  // namespace

absl::Status RetryJob(const AppContext& app, CallContext& call, const v1::RetryJobRequest& request,
                      v1::Job* response) {
  return RunIdempotent(app, call, "RetryJob", request, response, [&](storage::Tx& tx) {
    auto locked = tx.Exec("jobs/lock_job", call.merchant_id, request.job_id());
    if (locked.empty()) return NotFoundError("job", request.job_id());
    const std::string state = locked[0][0].as<std::string>();
    if (state != "DEAD") {
      return PreconditionError(reason::kInvalidState,
                               absl::StrCat("job is ", state, "; only a DEAD job can be retried"),
                               {{"state", state}});
    }
    *response = storage::JobFromRow(tx.Exec("jobs/retry_job", call.merchant_id, request.job_id(), kRetryAttempts)[0]);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
