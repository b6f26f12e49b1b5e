#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/admin/admin_use_cases.h"
#include "domain/errors.h"
#include "storage/job_store.h"

namespace returns::app {
namespace {
// What an operator's retry grants: as many attempts as a new job has.
constexpr int kRetryAttempts = 8;
}  // namespace

absl::Status RetryJob(const AppContext& app, CallContext& call, const v1::RetryJobRequest& request,
                      v1::Job* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::JobStore jobs(tx);
    const std::optional<std::string> locked = jobs.LockJob(call.merchant_id, request.job_id());
    if (!locked) return NotFoundError("job", request.job_id());
    const std::string& state = *locked;
    if (state != "DEAD") {
      return PreconditionError(reason::kInvalidState,
                               absl::StrCat("job is ", state, "; only a DEAD job can be retried"),
                               {{"state", state}});
    }
    // Locked above: it is there.
    *response = jobs.RetryJob(call.merchant_id, request.job_id(), kRetryAttempts).value();
    return absl::OkStatus();
  });
}

}  // namespace returns::app
