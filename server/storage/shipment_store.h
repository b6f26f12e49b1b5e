#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/shipment.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// shipments/find_shipment_by_tracking.sql: the shipment a carrier's tracking number names.
struct TrackedShipment {
  std::string shipment_id;
  std::string return_id;  // '' for a shipment of no return
};

// shipments/job_context.sql: what a job needs to call out about a shipment (read without locks).
struct ShipmentJobContext {
  std::string state;
  std::string carrier;
  std::string tracking_number;
  std::string order_id;
  std::string return_id;  // '' for a shipment of no return
  std::string sku;
  int32_t quantity = 0;
  std::string shipping_address;  // the order's address, JSON
};

// shipments/list_shipments.sql: a shipment and the create time its page position is made of.
struct ListedShipment {
  v1::Shipment resource;
  int64_t create_time_us = 0;
};

// shipments/lock_shipment.sql: the shipment's fields a change checks, locked FOR UPDATE.
struct LockedShipment {
  std::string state;
  std::string direction;  // "INBOUND" or "OUTBOUND"
  std::string order_id;
  std::string return_id;  // '' for a shipment of no return
  std::string carrier;
  std::string tracking_number;
  std::string purpose;   // '' for a shipment older than purposes
  std::string claim_id;  // '' unless it is a claim's reship
};

// shipments/shipment_tracking_owner.sql: the shipment that has a carrier's tracking number.
struct TrackingOwner {
  std::string shipment_id;
  std::string order_id;
  std::string purpose;
};

// shipments/unused_labels_of_return.sql: a return label not used yet, locked FOR UPDATE.
struct UnusedLabel {
  std::string shipment_id;
  std::string state;            // "REQUESTED" or "LABEL_CREATED"
  std::string tracking_number;  // '' before the carrier issued the label
};

// The statements of storage/sql/shipments/ and storage/sql/carrier_events/ (a shipment and the
// carrier scans recorded against it), with their rows read by column name.
class ShipmentStore {
 public:
  explicit ShipmentStore(Tx& tx) : tx_(tx) {}

  // shipments/apply_carrier_event.sql: moves the shipment to `state` after a scan at
  // `event_time_us` (a DELIVERED scan also keeps its time, never later than now).
  void ApplyCarrierEvent(const std::string& merchant_id, const std::string& shipment_id,
                         const std::string& state, int64_t event_time_us);
  // shipments/confirm_fulfilment.sql: the warehouse shipped it with this carrier and tracking.
  void ConfirmFulfilment(const std::string& merchant_id, const std::string& shipment_id,
                         const std::string& carrier, const std::string& tracking_number);
  // shipments/find_shipment_by_tracking.sql: which shipment (and return) a tracking number is
  // about; nullopt when there is none.
  std::optional<TrackedShipment> FindShipmentByTracking(const std::string& merchant_id,
                                                        const std::string& carrier,
                                                        const std::string& tracking_number);
  // shipments/get_shipment.sql: the shipment as the API shows it, with its label document;
  // nullopt when there is none.
  std::optional<v1::Shipment> GetShipment(const std::string& merchant_id,
                                          const std::string& shipment_id);
  // shipments/insert_inbound_shipment.sql: a return label, REQUESTED; returns its shipment_id.
  std::string InsertInboundShipment(const std::string& merchant_id, const std::string& order_id,
                                    const std::string& return_id, const std::string& carrier);
  // shipments/insert_outbound_shipment.sql: a replacement to ship, REQUESTED; returns its
  // shipment_id.
  std::string InsertOutboundShipment(const std::string& merchant_id, const std::string& order_id,
                                     const std::string& return_id, const std::string& sku,
                                     int32_t quantity);
  // shipments/job_context.sql: what a job needs to call out about the shipment; nullopt when
  // there is none.
  std::optional<ShipmentJobContext> JobContext(const std::string& merchant_id,
                                               const std::string& shipment_id);
  // shipments/list_shipments.sql: a page of shipments without label documents, oldest first
  // ('' filters match all).
  std::vector<ListedShipment> ListShipments(const std::string& merchant_id,
                                            const std::string& order_id,
                                            const std::string& return_id,
                                            const std::string& after_create_time_us,
                                            const std::string& after_shipment_id, int limit);
  // shipments/live_inbound_shipment_of_return.sql: the shipment_id of the return's newest label
  // that is not voided; nullopt when there is none.
  std::optional<std::string> LiveInboundShipmentOfReturn(const std::string& merchant_id,
                                                         const std::string& return_id);
  // shipments/lock_shipment.sql: the shipment locked FOR UPDATE; nullopt when there is none.
  std::optional<LockedShipment> LockShipment(const std::string& merchant_id,
                                             const std::string& shipment_id);
  // shipments/set_carrier_reference.sql: keeps the warehouse's or carrier's reference.
  void SetCarrierReference(const std::string& merchant_id, const std::string& shipment_id,
                           const std::string& carrier_reference);
  // shipments/set_label.sql: the carrier issued the label (its document in hex); LABEL_CREATED.
  void SetLabel(const std::string& merchant_id, const std::string& shipment_id,
                const std::string& tracking_number, const std::string& label_format,
                const std::string& label_document_hex, const std::string& carrier_reference);
  // shipments/set_shipment_state.sql: moves the locked shipment to `state`.
  void SetShipmentState(const std::string& merchant_id, const std::string& shipment_id,
                        const std::string& state);
  // shipments/shipment_tracking_owner.sql: the shipment with this carrier and (non-empty)
  // tracking number; nullopt when there is none.
  std::optional<TrackingOwner> ShipmentTrackingOwner(const std::string& merchant_id,
                                                     const std::string& carrier,
                                                     const std::string& tracking_number);
  // shipments/unused_labels_of_return.sql: the return's labels not used yet, locked, by id.
  std::vector<UnusedLabel> UnusedLabelsOfReturn(const std::string& merchant_id,
                                                const std::string& return_id);

  // carrier_events/insert_carrier_event.sql: records a carrier's scan with its `outcome`;
  // false when the event was recorded before (a carrier's retry).
  bool InsertCarrierEvent(const std::string& merchant_id, const std::string& carrier,
                          const std::string& event_id, const std::string& tracking_number,
                          const std::string& shipment_id, const std::string& code,
                          int64_t event_time_us, const std::string& location,
                          const std::string& outcome);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
