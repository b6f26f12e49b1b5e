#include "common/proto_json.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace returns {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Thrown (and caught in ProtoToJson) on a well-known type this printer leaves to protobuf.
struct NotHandled {};

void AppendString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out->append(buffer);
        } else {
          out->push_back(static_cast<char>(c));  // UTF-8 passes through (requests are checked)
        }
    }
  }
  out->push_back('"');
}

// protobuf's SimpleDtoa / SimpleFtoa: the short form when it reads back exactly.
template <typename T>
void AppendFloating(std::string* out, T value) {
  if (std::isnan(value)) return out->append("\"NaN\""), void();
  if (std::isinf(value)) return out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\""), void();
  constexpr int kShort = std::is_same_v<T, float> ? FLT_DIG : DBL_DIG;
  constexpr int kLong = std::is_same_v<T, float> ? FLT_DIG + 3 : DBL_DIG + 2;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", kShort, static_cast<double>(value));
  const bool exact = std::is_same_v<T, float> ? std::strtof(buffer, nullptr) == value
                                              : std::strtod(buffer, nullptr) == value;
  if (!exact) std::snprintf(buffer, sizeof buffer, "%.*g", kLong, static_cast<double>(value));
  out->append(buffer);
}

void AppendMessage(std::string* out, const Message& message);

// One value of `field` (index < 0: a singular field).
void AppendValue(std::string* out, const Message& message, const FieldDescriptor* field,
                 int index) {
  const Reflection* r = message.GetReflection();
  const bool repeated = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(
          out, repeated ? r->GetRepeatedInt32(message, field, index) : r->GetInt32(message, field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, repeated ? r->GetRepeatedUInt32(message, field, index)
                                    : r->GetUInt32(message, field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(
          out, "\"",
          repeated ? r->GetRepeatedInt64(message, field, index) : r->GetInt64(message, field),
          "\"");
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(
          out, "\"",
          repeated ? r->GetRepeatedUInt64(message, field, index) : r->GetUInt64(message, field),
          "\"");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloating(out, repeated ? r->GetRepeatedDouble(message, field, index)
                                   : r->GetDouble(message, field));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloating(
          out, repeated ? r->GetRepeatedFloat(message, field, index) : r->GetFloat(message, field));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append(
          (repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
              ? "true"
              : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? r->GetRepeatedEnumValue(message, field, index)
                                  : r->GetEnumValue(message, field);
      const auto* value = field->enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        AppendString(out, value->name());
      } else {
        absl::StrAppend(out, number);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& text = repeated
                                    ? r->GetRepeatedStringReference(message, field, index, &scratch)
                                    : r->GetStringReference(message, field, &scratch);
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        AppendString(out, absl::Base64Escape(text));
      } else {
        AppendString(out, text);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(out, repeated ? r->GetRepeatedMessage(message, field, index)
                                  : r->GetMessage(message, field));
      break;
  }
}

// A map entry's key as a JSON object key: always a string.
void AppendMapKey(std::string* out, const Message& entry, const FieldDescriptor* key) {
  if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    AppendValue(out, entry, key, -1);
    return;
  }
  std::string text;
  AppendValue(&text, entry, key, -1);
  if (text.front() == '"') {
    out->append(text);  // 64-bit keys are quoted already
  } else {
    AppendString(out, text);
  }
}

void AppendMessage(std::string* out, const Message& message) {
  const Descriptor* descriptor = message.GetDescriptor();
  if (descriptor->file()->package() == "google.protobuf") {
    if (descriptor->full_name() != "google.protobuf.Timestamp") throw NotHandled{};
    // By reflection: the message may be a dynamic one of the same type.
    const Reflection* tr = message.GetReflection();
    google::protobuf::Timestamp ts;
    ts.set_seconds(tr->GetInt64(message, descriptor->FindFieldByNumber(1)));
    ts.set_nanos(tr->GetInt32(message, descriptor->FindFieldByNumber(2)));
    using google::protobuf::util::TimeUtil;
    if (ts.seconds() < TimeUtil::kTimestampMinSeconds ||
        ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 || ts.nanos() > 999999999) {
      throw NotHandled{};  // protobuf's printer refuses it
    }
    AppendString(out, google::protobuf::util::TimeUtil::ToString(ts));
    return;
  }
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;  // set fields, in field-number order
  r->ListFields(message, &fields);
  out->push_back('{');
  bool first = true;
  for (const FieldDescriptor* field : fields) {
    if (field->is_extension()) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendString(out, field->name());
    out->push_back(':');
    if (field->is_map()) {
      const FieldDescriptor* key = field->message_type()->map_key();
      const FieldDescriptor* value = field->message_type()->map_value();
      out->push_back('{');
      for (int i = 0; i < r->FieldSize(message, field); ++i) {
        const Message& entry = r->GetRepeatedMessage(message, field, i);
        if (i > 0) out->push_back(',');
        AppendMapKey(out, entry, key);
        out->push_back(':');
        AppendValue(out, entry, value, -1);
      }
      out->push_back('}');
    } else if (field->is_repeated()) {
      out->push_back('[');
      for (int i = 0; i < r->FieldSize(message, field); ++i) {
        if (i > 0) out->push_back(',');
        AppendValue(out, message, field, i);
      }
      out->push_back(']');
    } else {
      AppendValue(out, message, field, -1);
    }
  }
  out->push_back('}');
}

}  // namespace

absl::StatusOr<std::string> ProtoToJson(const Message& message) {
  std::string out;
  out.reserve(512);
  try {
    AppendMessage(&out, message);
    return out;
  } catch (const NotHandled&) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    out.clear();
    const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
    if (!status.ok()) return absl::InvalidArgumentError(std::string(status.message()));
    return out;
  }
}

}  // namespace returns
