#include "app/logistics/return_labels.h"

#include "absl/strings/str_cat.h"
#include "app/common/enqueue_job.h"
#include "app/logistics/shipment_events.h"
#include "domain/event_types.h"
#include "storage/shipment_store.h"

namespace returns::app {

std::string RequestReturnLabel(storage::Tx& tx, const CallContext& call,
                               const std::string& order_id, const std::string& return_id,
                               const std::string& carrier) {
  std::string shipment_id = storage::ShipmentStore(tx).InsertInboundShipment(
      call.merchant_id, order_id, return_id, carrier);
  EnqueueJob(
      tx, call.merchant_id,
      JobSpec{v1::JOB_KIND_ISSUE_LABEL, "issue_label:" + shipment_id, order_id, shipment_id});
  RecordShipmentTransition(tx, call, shipment_id, event_type::kShipmentRequested,
                           absl::StrCat("Return label requested from carrier ", carrier));
  return shipment_id;
}

void VoidLabelOf(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                 const std::string& shipment_id, const std::string& tracking_number) {
  storage::ShipmentStore(tx).SetShipmentState(call.merchant_id, shipment_id, "VOIDED");
  // Before the label exists there is nothing to cancel at the carrier: the label job sees the
  // VOIDED shipment and, if the carrier answered meanwhile, enqueues the cancellation itself.
  if (!tracking_number.empty()) {
    EnqueueJob(tx, call.merchant_id,
               JobSpec{v1::JOB_KIND_VOID_LABEL,
                       "void_label:" + shipment_id,
                       order_id,
                       shipment_id,
                       {{"tracking_number", tracking_number}}});
  }
  RecordShipmentTransition(tx, call, shipment_id, event_type::kShipmentVoided,
                           tracking_number.empty()
                               ? std::string("Return label voided before it was issued")
                               : absl::StrCat("Return label ", tracking_number, " voided"));
}

int VoidUnusedLabels(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                     const std::string& return_id) {
  int voided = 0;
  for (const storage::UnusedLabel& label :
       storage::ShipmentStore(tx).UnusedLabelsOfReturn(call.merchant_id, return_id)) {
    VoidLabelOf(tx, call, order_id, label.shipment_id, label.tracking_number);
    ++voided;
  }
  return voided;
}

}  // namespace returns::app
