#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"

// Enum values as text, for logs, the change feed, stored rows and returnsctl's tables, read from
// the generated descriptors: one place instead of a `Foo_Name(x).substr(N)` per caller. Shared by
// the server and the client (returns_common), and tolerant of numbers a newer peer sends.
namespace returns {

// The value's name without its enum's prefix: RETURN_STATE_APPROVED -> "APPROVED". The prefix is
// the zero value's name less "UNSPECIFIED" (every enum of the contract starts with one). A number
// this build does not know reads "UNKNOWN_<number>" (never a throw, never an empty string).
std::string EnumText(const google::protobuf::EnumDescriptor& descriptor, int number);

template <typename Enum>
std::string EnumText(Enum value) {
  return EnumText(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// The value named `text`: the short name ("APPROVED") or the full one ("RETURN_STATE_APPROVED"),
// in any case. nullopt when no value has that name, and for the UNSPECIFIED value, which no caller
// may choose.
std::optional<int> ParseEnumNumber(const google::protobuf::EnumDescriptor& descriptor,
                                   absl::string_view text);

template <typename Enum>
std::optional<Enum> ParseEnum(absl::string_view text) {
  const std::optional<int> number =
      ParseEnumNumber(*google::protobuf::GetEnumDescriptor<Enum>(), text);
  if (!number.has_value()) return std::nullopt;
  return static_cast<Enum>(*number);
}

}  // namespace returns
