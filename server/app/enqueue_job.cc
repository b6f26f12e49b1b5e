#include "app/enqueue_job.h"

#include "absl/strings/str_cat.h"

namespace returns::app {

void EnqueueJob(storage::Tx& tx, const std::string& merchant_id, const JobSpec& job) {
  tx.Exec("jobs/enqueue_job", merchant_id, job.kind, job.dedup_key, job.order_id, job.subject_id,
          job.payload.dump());
}

void EnqueueNotification(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& order_id, const std::string& template_name,
                         const std::string& subject_id) {
  EnqueueJob(tx, merchant_id,
             JobSpec{"NOTIFY_CUSTOMER", absl::StrCat("notify:", template_name, ":", subject_id),
                     order_id, subject_id, {{"template", template_name}}});
}

}  // namespace returns::app
