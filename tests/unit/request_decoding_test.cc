// Decoding a request's wire bytes: the field named for invalid UTF-8 (which protobuf's own parser
// refuses without saying where), NUL and control characters, at any depth.
#include "api/request_decoding.h"

#include <gtest/gtest.h>

#include "domain/errors.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"

namespace returns::api {
namespace {

// Protobuf refuses to serialise invalid UTF-8 quietly only in release builds; build the bytes
// by hand so the test does not depend on that.
std::string WireWithString(const google::protobuf::Message& valid, const std::string& placeholder,
                           const std::string& replacement) {
  std::string wire = valid.SerializeAsString();
  const size_t at = wire.find(placeholder);
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(placeholder.size(), replacement.size());
  return wire.replace(at, placeholder.size(), replacement);
}

v1::CreateReturnRequest TwoLines() {
  v1::CreateReturnRequest request;
  request.set_request_id("r1");
  request.set_order_id("1001");
  for (const char* id : {"L1", "L2"}) {
    auto* line = request.add_lines();
    line->set_order_line_id(id);
    line->set_quantity(1);
    line->set_reason_note("PLACEHOLDER");
  }
  request.mutable_lines(0)->set_reason_note("fine");
  return request;
}

TEST(RequestDecodingTest, AValidRequestDecodes) {
  v1::CreateReturnRequest decoded;
  EXPECT_TRUE(DecodeRequest(TwoLines().SerializeAsString(), &decoded).ok());
  EXPECT_EQ(decoded.lines(1).order_line_id(), "L2");
}

TEST(RequestDecodingTest, InvalidUtf8IsNamedWithItsIndex) {
  for (const std::string& broken :
       {std::string("too smal\xed\xa0\xbd"), std::string("too small\xf0\x9f"),
        std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")}) {
    v1::CreateReturnRequest decoded;
    absl::Status status =
        DecodeRequest(WireWithString(TwoLines(), "PLACEHOLDER", broken), &decoded);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(status), "lines[1].reason_note");
    EXPECT_NE(status.message().find("UTF-8"), std::string::npos);
  }
}

TEST(RequestDecodingTest, InvalidUtf8InAMapKeyOrNestedMessageIsNamed) {
  v1::UpsertOrderRequest order;
  order.set_request_id("r1");
  order.mutable_order()->set_order_id("1001");
  order.mutable_order()->add_lines()->set_line_id("L1");
  (*order.mutable_order()->mutable_lines(0)->mutable_variant_attributes())["KEYHOLDER"] = "S";
  order.mutable_order()->mutable_shipping_address()->set_city("CITYHOLDER");
  v1::UpsertOrderRequest decoded;
  EXPECT_EQ(
      FieldOf(DecodeRequest(
          WireWithString(order, "KEYHOLDER", "\xc3\xc3\xc3\xc3\xc3\xc3\xc3\xc3\xc3"), &decoded)),
      "order.lines[0].variant_attributes.key");
  EXPECT_EQ(FieldOf(DecodeRequest(WireWithString(order, "CITYHOLDER",
                                                 "Lon\xe2\x82"
                                                 "don\xff\xff"),
                                  &decoded)),
            "order.shipping_address.city");
}

TEST(RequestDecodingTest, NulAndControlCharactersAreRefusedButLineBreaksAndTabsAreNot) {
  v1::CreateReturnRequest request = TwoLines();
  request.mutable_lines(1)->set_reason_note(std::string("a\0b", 3));
  v1::CreateReturnRequest decoded;
  absl::Status status = DecodeRequest(request.SerializeAsString(), &decoded);
  EXPECT_EQ(FieldOf(status), "lines[1].reason_note");
  EXPECT_NE(status.message().find("NUL"), std::string::npos);

  request.mutable_lines(1)->set_reason_note("bell\a");
  EXPECT_EQ(FieldOf(DecodeRequest(request.SerializeAsString(), &decoded)), "lines[1].reason_note");
  request.mutable_lines(1)->set_reason_note("del\x7f");
  EXPECT_EQ(FieldOf(DecodeRequest(request.SerializeAsString(), &decoded)), "lines[1].reason_note");
  request.mutable_lines(1)->set_reason_note("two\r\nlines\tand a tab, \xf0\x9f\x98\x80");
  EXPECT_TRUE(DecodeRequest(request.SerializeAsString(), &decoded).ok());
}

TEST(RequestDecodingTest, BytesThatAreNotTheMessageAreRefusedAsTheRequest) {
  v1::CreateReturnRequest decoded;
  absl::Status status = DecodeRequest(std::string("\x0a\xff\xff\xff\xff\x0f", 6), &decoded);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(status), "request");
}

}  // namespace
}  // namespace returns::api
