#include "domain/shipment_rules.h"

#include <gtest/gtest.h>

#include "common/enum_text.h"

namespace returns {
namespace {

TEST(ShipmentRulesTest, CarrierEventsOnlyMoveShipmentsForward) {
  EXPECT_TRUE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_LABEL_CREATED, v1::SHIPMENT_STATE_IN_TRANSIT));
  EXPECT_TRUE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_LABEL_CREATED, v1::SHIPMENT_STATE_DELIVERED));
  EXPECT_TRUE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_IN_TRANSIT, v1::SHIPMENT_STATE_EXCEPTION));
  EXPECT_TRUE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_EXCEPTION, v1::SHIPMENT_STATE_DELIVERED));
  // A late scan after delivery, or the same state again, changes nothing.
  EXPECT_FALSE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_DELIVERED, v1::SHIPMENT_STATE_IN_TRANSIT));
  EXPECT_FALSE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_IN_TRANSIT, v1::SHIPMENT_STATE_IN_TRANSIT));
  EXPECT_FALSE(
      CarrierEventMovesShipment(v1::SHIPMENT_STATE_EXCEPTION, v1::SHIPMENT_STATE_IN_TRANSIT));
}

TEST(ShipmentRulesTest, NoEventMovesAVoidedLabelOrAParcelWithoutALabel) {
  for (auto next : {v1::SHIPMENT_STATE_IN_TRANSIT, v1::SHIPMENT_STATE_DELIVERED,
                    v1::SHIPMENT_STATE_EXCEPTION}) {
    EXPECT_FALSE(CarrierEventMovesShipment(v1::SHIPMENT_STATE_VOIDED, next));
    EXPECT_FALSE(CarrierEventMovesShipment(v1::SHIPMENT_STATE_REQUESTED, next));
  }
}

TEST(ShipmentRulesTest, EventCodesMapToStates) {
  EXPECT_EQ(ShipmentStateForEvent(v1::CARRIER_EVENT_CODE_ACCEPTED), v1::SHIPMENT_STATE_IN_TRANSIT);
  EXPECT_EQ(ShipmentStateForEvent(v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY),
            v1::SHIPMENT_STATE_IN_TRANSIT);
  EXPECT_EQ(ShipmentStateForEvent(v1::CARRIER_EVENT_CODE_DELIVERED), v1::SHIPMENT_STATE_DELIVERED);
  EXPECT_EQ(ShipmentStateForEvent(v1::CARRIER_EVENT_CODE_EXCEPTION), v1::SHIPMENT_STATE_EXCEPTION);
}

TEST(ShipmentRulesTest, StoredStateNamesRoundTrip) {
  EXPECT_EQ(EnumText(v1::SHIPMENT_STATE_LABEL_CREATED), "LABEL_CREATED");
  EXPECT_EQ(EnumText(v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY), "OUT_FOR_DELIVERY");
  for (int i = v1::ShipmentState_MIN + 1; i <= v1::ShipmentState_MAX; ++i) {
    auto state = static_cast<v1::ShipmentState>(i);
    EXPECT_EQ(ParseEnum<v1::ShipmentState>(EnumText(state)), state);
  }
  EXPECT_FALSE(ParseEnum<v1::ShipmentState>("LOST").has_value());
}

}  // namespace
}  // namespace returns
