#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/field>

#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"

// How the stores read one column (by name: row["create_time_us"]) into a message or a struct.
namespace returns::storage {

// A NULL time stays absent from the message: calling mutable_<field>() would mark it present
// as 1970-01-01, which a client checking presence reads as a real time.
template <typename MutableTime>
void SetMicros(const pqxx::field& field, MutableTime mutable_time) {
  if (field.is_null()) return;
  *mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(field.as<int64_t>());
}

// A stored enum text (common/enum_text.h's short name); one this release does not know (a newer
// release's) reads as the enum's UNSPECIFIED.
template <typename Enum>
Enum EnumFromName(const std::string& name) {
  return ParseEnum<Enum>(name).value_or(static_cast<Enum>(0));
}

// A nullable column.
template <typename T>
std::optional<T> Nullable(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<T>();
}

}  // namespace returns::storage
