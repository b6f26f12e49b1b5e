#include "app/common/enqueue_job.h"

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "storage/job_store.h"

namespace returns::app {

std::string StoredJobKindText(v1::JobKind kind) {
  if (kind == v1::JOB_KIND_REQUEST_FULFILLMENT) return "REQUEST_FULFILMENT";
  return EnumText(kind);
}

std::string FulfillmentRequestKey(const std::string& shipment_id) {
  return "request_fulfilment:" + shipment_id;
}

void EnqueueJob(storage::Tx& tx, const std::string& merchant_id, const JobSpec& job) {
  storage::JobStore(tx).EnqueueJob(merchant_id, StoredJobKindText(job.kind), job.dedup_key,
                                   job.order_id, job.subject_id, job.payload.dump());
}

void EnqueueNotification(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& order_id, const std::string& template_name,
                         const std::string& subject_id) {
  EnqueueJob(tx, merchant_id,
             JobSpec{v1::JOB_KIND_NOTIFY_CUSTOMER,
                     absl::StrCat("notify:", template_name, ":", subject_id),
                     order_id,
                     subject_id,
                     {{"template", template_name}}});
}

}  // namespace returns::app
