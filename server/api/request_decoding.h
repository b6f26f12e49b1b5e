#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

// Turning a request's wire bytes into its message, in one place for every method, before any
// per-method validation (api/request_validation.h). Every string field of every request obeys
// the same rules here, so no method can let a NUL or a broken character reach PostgreSQL:
//   - valid UTF-8 (a client that cut a character in half gets the field's name, not INTERNAL);
//   - no NUL and no other control character except tab, line feed and carriage return.
// Field-specific character classes (ids, e-mail addresses, codes) stay with each method's
// validation.
namespace returns::api {

// INVALID_ARGUMENT naming the field (for example "lines[0].reason_note") when the bytes are not
// a valid `request` or a string breaks the rules above; `request` is then unspecified.
absl::Status DecodeRequest(absl::string_view wire, google::protobuf::Message* request);

// The rules above over an already parsed message: the path of the first string field that breaks
// them and what is wrong with it, or nothing.
struct BadString {
  std::string field;
  std::string problem;
};
std::optional<BadString> FindBadString(const google::protobuf::Message& message);

// The path of the first string field whose bytes are not valid UTF-8, read from the wire form
// with the message's descriptor (protobuf's own parser only says that one was).
std::optional<std::string> FindInvalidUtf8(const google::protobuf::Descriptor& descriptor,
                                           absl::string_view wire);

}  // namespace returns::api
