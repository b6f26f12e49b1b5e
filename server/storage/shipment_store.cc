#include "storage/shipment_store.h"

#include "storage/field_reading.h"
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

// A row of shipments/get_shipment.sql or shipments/list_shipments.sql (whose label document is
// always '').
v1::Shipment ShipmentFromRow(const pqxx::row& row) {
  v1::Shipment shipment;
  shipment.set_shipment_id(row["shipment_id"].as<std::string>());
  shipment.set_order_id(row["order_id"].as<std::string>());
  shipment.set_return_id(row["return_id"].as<std::string>());
  shipment.set_direction(row["direction"].as<std::string>() == "INBOUND"
                             ? v1::SHIPMENT_DIRECTION_INBOUND
                             : v1::SHIPMENT_DIRECTION_OUTBOUND);
  shipment.set_state(ParseEnum<v1::ShipmentState>(row["state"].as<std::string>())
                         .value_or(v1::SHIPMENT_STATE_UNSPECIFIED));
  shipment.set_carrier(row["carrier"].as<std::string>());
  shipment.set_tracking_number(row["tracking_number"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return shipment.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return shipment.mutable_update_time(); });
  shipment.set_sku(row["sku"].as<std::string>());
  shipment.set_quantity(row["quantity"].as<int32_t>());
  shipment.set_label_format(row["label_format"].as<std::string>());
  shipment.set_label_document(absl::HexStringToBytes(row["label_document_hex"].as<std::string>()));
  shipment.set_carrier_reference(row["carrier_reference"].as<std::string>());
  SetMicros(row["last_event_time_us"], [&] { return shipment.mutable_last_event_time(); });
  shipment.set_etag(absl::StrCat("\"", row["version"].as<int64_t>(), "\""));
  shipment.set_purpose(EnumFromName<v1::ShipmentPurpose>(row["purpose"].as<std::string>()));
  SetMicros(row["promise_time_us"], [&] { return shipment.mutable_promise_time(); });
  SetMicros(row["delivered_time_us"], [&] { return shipment.mutable_delivered_time(); });
  shipment.set_claim_id(row["claim_id"].as<std::string>());
  for (const json& line : json::parse(row["lines"].as<std::string>())) {
    v1::ShipmentLine* out = shipment.add_lines();
    out->set_order_line_id(line["order_line_id"].get<std::string>());
    out->set_quantity(line["quantity"].get<int32_t>());
  }
  return shipment;
}

}  // namespace

void ShipmentStore::ApplyCarrierEvent(const std::string& merchant_id,
                                      const std::string& shipment_id, const std::string& state,
                                      int64_t event_time_us) {
  tx_.Exec(sql::kShipmentsApplyCarrierEvent, merchant_id, shipment_id, state, event_time_us);
}

void ShipmentStore::ConfirmFulfilment(const std::string& merchant_id,
                                      const std::string& shipment_id, const std::string& carrier,
                                      const std::string& tracking_number) {
  tx_.Exec(sql::kShipmentsConfirmFulfilment, merchant_id, shipment_id, carrier, tracking_number);
}

std::optional<TrackedShipment> ShipmentStore::FindShipmentByTracking(
    const std::string& merchant_id, const std::string& carrier,
    const std::string& tracking_number) {
  const auto rows =
      tx_.Exec(sql::kShipmentsFindShipmentByTracking, merchant_id, carrier, tracking_number);
  if (rows.empty()) return std::nullopt;
  return TrackedShipment{rows[0]["shipment_id"].as<std::string>(),
                         rows[0]["return_id"].as<std::string>()};
}

std::optional<v1::Shipment> ShipmentStore::GetShipment(const std::string& merchant_id,
                                                       const std::string& shipment_id) {
  const auto rows = tx_.Exec(sql::kShipmentsGetShipment, merchant_id, shipment_id);
  if (rows.empty()) return std::nullopt;
  return ShipmentFromRow(rows[0]);
}

std::string ShipmentStore::InsertInboundShipment(const std::string& merchant_id,
                                                 const std::string& order_id,
                                                 const std::string& return_id,
                                                 const std::string& carrier) {
  const auto rows =
      tx_.Exec(sql::kShipmentsInsertInboundShipment, merchant_id, order_id, return_id, carrier);
  return rows[0]["shipment_id"].as<std::string>();
}

std::string ShipmentStore::InsertOutboundShipment(const std::string& merchant_id,
                                                  const std::string& order_id,
                                                  const std::string& return_id,
                                                  const std::string& sku, int32_t quantity) {
  const auto rows = tx_.Exec(sql::kShipmentsInsertOutboundShipment, merchant_id, order_id,
                             return_id, sku, quantity);
  return rows[0]["shipment_id"].as<std::string>();
}

std::optional<ShipmentJobContext> ShipmentStore::JobContext(const std::string& merchant_id,
                                                            const std::string& shipment_id) {
  const auto rows = tx_.Exec(sql::kShipmentsJobContext, merchant_id, shipment_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  return ShipmentJobContext{row["state"].as<std::string>(),
                            row["carrier"].as<std::string>(),
                            row["tracking_number"].as<std::string>(),
                            row["order_id"].as<std::string>(),
                            row["return_id"].as<std::string>(),
                            row["sku"].as<std::string>(),
                            row["quantity"].as<int32_t>(),
                            row["shipping_address"].as<std::string>()};
}

std::vector<ListedShipment> ShipmentStore::ListShipments(
    const std::string& merchant_id, const std::string& order_id, const std::string& return_id,
    const std::string& after_create_time_us, const std::string& after_shipment_id, int limit) {
  std::vector<ListedShipment> shipments;
  for (const auto& row : tx_.Exec(sql::kShipmentsListShipments, merchant_id, order_id, return_id,
                                  after_create_time_us, after_shipment_id, limit)) {
    shipments.push_back({ShipmentFromRow(row), row["create_time_us"].as<int64_t>()});
  }
  return shipments;
}

std::optional<std::string> ShipmentStore::LiveInboundShipmentOfReturn(
    const std::string& merchant_id, const std::string& return_id) {
  const auto rows = tx_.Exec(sql::kShipmentsLiveInboundShipmentOfReturn, merchant_id, return_id);
  if (rows.empty()) return std::nullopt;
  return rows[0]["shipment_id"].as<std::string>();
}

std::optional<LockedShipment> ShipmentStore::LockShipment(const std::string& merchant_id,
                                                          const std::string& shipment_id) {
  const auto rows = tx_.Exec(sql::kShipmentsLockShipment, merchant_id, shipment_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  return LockedShipment{row["state"].as<std::string>(),    row["direction"].as<std::string>(),
                        row["order_id"].as<std::string>(), row["return_id"].as<std::string>(),
                        row["carrier"].as<std::string>(),  row["tracking_number"].as<std::string>(),
                        row["purpose"].as<std::string>(),  row["claim_id"].as<std::string>()};
}

void ShipmentStore::SetCarrierReference(const std::string& merchant_id,
                                        const std::string& shipment_id,
                                        const std::string& carrier_reference) {
  tx_.Exec(sql::kShipmentsSetCarrierReference, merchant_id, shipment_id, carrier_reference);
}

void ShipmentStore::SetLabel(const std::string& merchant_id, const std::string& shipment_id,
                             const std::string& tracking_number, const std::string& label_format,
                             const std::string& label_document_hex,
                             const std::string& carrier_reference) {
  tx_.Exec(sql::kShipmentsSetLabel, merchant_id, shipment_id, tracking_number, label_format,
           label_document_hex, carrier_reference);
}

void ShipmentStore::SetShipmentState(const std::string& merchant_id, const std::string& shipment_id,
                                     const std::string& state) {
  tx_.Exec(sql::kShipmentsSetShipmentState, merchant_id, shipment_id, state);
}

std::optional<TrackingOwner> ShipmentStore::ShipmentTrackingOwner(
    const std::string& merchant_id, const std::string& carrier,
    const std::string& tracking_number) {
  const auto rows =
      tx_.Exec(sql::kShipmentsShipmentTrackingOwner, merchant_id, carrier, tracking_number);
  if (rows.empty()) return std::nullopt;
  return TrackingOwner{rows[0]["shipment_id"].as<std::string>(),
                       rows[0]["order_id"].as<std::string>(), rows[0]["purpose"].as<std::string>()};
}

std::vector<UnusedLabel> ShipmentStore::UnusedLabelsOfReturn(const std::string& merchant_id,
                                                             const std::string& return_id) {
  std::vector<UnusedLabel> labels;
  for (const auto& row : tx_.Exec(sql::kShipmentsUnusedLabelsOfReturn, merchant_id, return_id)) {
    labels.push_back({row["shipment_id"].as<std::string>(), row["state"].as<std::string>(),
                      row["tracking_number"].as<std::string>()});
  }
  return labels;
}

bool ShipmentStore::InsertCarrierEvent(const std::string& merchant_id, const std::string& carrier,
                                       const std::string& event_id,
                                       const std::string& tracking_number,
                                       const std::string& shipment_id, const std::string& code,
                                       int64_t event_time_us, const std::string& location,
                                       const std::string& outcome) {
  // ON CONFLICT DO NOTHING returns no row for an event recorded before.
  return !tx_.Exec(sql::kCarrierEventsInsertCarrierEvent, merchant_id, carrier, event_id,
                   tracking_number, shipment_id, code, event_time_us, location, outcome)
              .empty();
}

}  // namespace returns::storage
