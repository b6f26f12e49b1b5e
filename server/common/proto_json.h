#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace returns {

// A message in proto3 JSON with proto field names: the same JSON as protobuf's
// MessageToJsonString with preserve_proto_field_names (fields with default values left out,
// 64-bit integers as strings, enums by name, bytes in base64, Timestamp in RFC 3339), without
// its detour through the binary form and a type resolver, which took a third of returnsd's CPU
// per CreateReturn (docs/performance.md). Key order within a map and string escapes may differ;
// the JSON value is the same (tests/unit/proto_json_test.cc compares them over every message type
// of the contract). Messages holding a well-known type other than Timestamp go to protobuf's
// printer whole.
// Fails only as protobuf's printer does (say, a Timestamp out of range).
absl::StatusOr<std::string> ProtoToJson(const google::protobuf::Message& message);

}  // namespace returns
