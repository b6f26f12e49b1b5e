#include "integrations/sandbox_carrier.h"

#include <gtest/gtest.h>

namespace returns::integrations {
namespace {

LabelRequest Request(const std::string& key) {
  return LabelRequest{
      key, "m", "1001", "r-1",
      R"({"name":"Ada Lovelace","line1":"1 Main St","city":"Berlin","country_code":"DE"})"};
}

TEST(SandboxCarrierTest, TheSameKeyGivesTheSameLabel) {
  SandboxCarrier carrier;
  auto first = carrier.CreateLabel(Request("shipment-1"));
  auto again = carrier.CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->tracking_number, again->tracking_number);
  EXPECT_EQ(first->document, again->document);
  EXPECT_EQ(first->tracking_number, SandboxCarrier::TrackingNumberFor("shipment-1"));
}

TEST(SandboxCarrierTest, OtherKeysGetOtherTrackingNumbers) {
  EXPECT_NE(SandboxCarrier::TrackingNumberFor("shipment-1"),
            SandboxCarrier::TrackingNumberFor("shipment-2"));
  const std::string tracking = SandboxCarrier::TrackingNumberFor("shipment-1");
  ASSERT_EQ(tracking.size(), 15u);
  EXPECT_EQ(tracking.substr(0, 3), "SBX");
  for (char c : tracking.substr(3))
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(c))) << tracking;
}

TEST(SandboxCarrierTest, TheLabelIsPrintableZplWithTheTrackingNumber) {
  SandboxCarrier carrier;
  auto label = carrier.CreateLabel(Request("shipment-1"));
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->format, "ZPL");
  EXPECT_EQ(label->document.rfind("^XA", 0), 0u);
  EXPECT_NE(label->document.find("^XZ"), std::string::npos);
  EXPECT_NE(label->document.find(label->tracking_number), std::string::npos);
  EXPECT_NE(label->document.find("Berlin"), std::string::npos);
}

TEST(SandboxCarrierTest, AddressTextCannotInjectZplCommands) {
  SandboxCarrier carrier;
  LabelRequest request = Request("shipment-1");
  request.ship_from_json = R"({"name":"^XZ^XA evil~JA"})";
  auto label = carrier.CreateLabel(request);
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->document.find("evil~"), std::string::npos);
  EXPECT_EQ(label->document.find("^XZ^XA"), std::string::npos);
}

}  // namespace
}  // namespace returns::integrations
