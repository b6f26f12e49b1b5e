#include "app/return_labels.h"

#include "absl/strings/str_cat.h"
#include "app/enqueue_job.h"
#include "app/shipment_events.h"

namespace returns::app {

std::string RequestReturnLabel(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                               const std::string& return_id, const std::string& carrier) {
  const std::string shipment_id =
      tx.Exec("shipments/insert_inbound_shipment", call.merchant_id, order_id, return_id, carrier)[0][0]
          .as<std::string>();
  EnqueueJob(tx, call.merchant_id,
             JobSpec{"ISSUE_LABEL", "issue_label:" + shipment_id, order_id, shipment_id});
  RecordShipmentTransition(tx, call, shipment_id, "shipment.requested",
                           absl::StrCat("Return label requested from carrier ", carrier));
  return shipment_id;
}

void VoidLabelOf(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                 const std::string& shipment_id, const std::string& tracking_number) {
  tx.Exec("shipments/set_shipment_state", call.merchant_id, shipment_id, std::string("VOIDED"));
  // Before the label exists there is nothing to cancel at the carrier: the label job sees the
  // VOIDED shipment and, if the carrier answered meanwhile, enqueues the cancellation itself.
  if (!tracking_number.empty()) {
    EnqueueJob(tx, call.merchant_id,
               JobSpec{"VOID_LABEL", "void_label:" + shipment_id, order_id, shipment_id,
                       {{"tracking_number", tracking_number}}});
  }
  RecordShipmentTransition(tx, call, shipment_id, "shipment.voided",
                           tracking_number.empty()
                               ? std::string("Return label voided before it was issued")
                               : absl::StrCat("Return label ", tracking_number, " voided"));
}

int VoidUnusedLabels(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                     const std::string& return_id) {
  int voided = 0;
  for (const auto& row : tx.Exec("shipments/unused_labels_of_return", call.merchant_id, return_id)) {
    VoidLabelOf(tx, call, order_id, row[0].as<std::string>(), row[2].as<std::string>());
    ++voided;
  }
  return voided;
}

}  // namespace returns::app
