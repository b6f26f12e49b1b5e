#include "api/request_decoding.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/wire_format_lite.h"

namespace returns::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::internal::WireFormatLite;

// Deeper nesting than any request has; a hostile message cannot recurse without bound.
constexpr int kMaxDepth = 32;

// "lines" + index 2 -> "lines[2]"; map entries are named by the map, as validation names them.
std::string PathOf(const std::string& prefix, const FieldDescriptor& field, int index) {
  std::string path = absl::StrCat(prefix, field.name());
  if (field.is_repeated() && !field.is_map()) absl::StrAppend(&path, "[", index, "]");
  return path;
}

std::optional<std::string> ProblemOf(const std::string& value) {
  if (!google::protobuf::internal::IsStructurallyValidUTF8(value.data(),
                                                           static_cast<int>(value.size()))) {
    return "is not valid UTF-8";
  }
  for (unsigned char c : value) {
    if (c == 0) return "must not contain NUL characters";
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return "must not contain control characters";
    }
  }
  return std::nullopt;
}

std::optional<BadString> Walk(const Message& message, const std::string& prefix, int depth) {
  if (depth > kMaxDepth) return BadString{prefix, "is nested too deeply"};
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool is_string = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
                           field->type() == FieldDescriptor::TYPE_STRING;
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!is_string && !is_message) continue;
    const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const std::string path = PathOf(prefix, *field, i);
      if (is_string) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection.GetRepeatedStringReference(message, field, i, &scratch)
                : reflection.GetStringReference(message, field, &scratch);
        if (auto problem = ProblemOf(value)) return BadString{path, *problem};
      } else {
        const Message& child = field->is_repeated()
                                   ? reflection.GetRepeatedMessage(message, field, i)
                                   : reflection.GetMessage(message, field);
        if (auto bad = Walk(child, path + ".", depth + 1)) return bad;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> FindInvalidUtf8At(const Descriptor& descriptor, absl::string_view wire,
                                             const std::string& prefix, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()),
                                            static_cast<int>(wire.size()));
  std::map<int, int> seen;  // field number -> occurrences so far, for repeated fields' indices
  while (uint32_t tag = in.ReadTag()) {
    const FieldDescriptor* field =
        descriptor.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field == nullptr || !delimited ||
        (field->type() != FieldDescriptor::TYPE_STRING &&
         field->type() != FieldDescriptor::TYPE_MESSAGE)) {
      if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
      continue;
    }
    uint32_t length = 0;
    std::string bytes;
    if (!in.ReadVarint32(&length) || !in.ReadString(&bytes, static_cast<int>(length))) {
      return std::nullopt;
    }
    const std::string path = PathOf(prefix, *field, seen[field->number()]++);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (!google::protobuf::internal::IsStructurallyValidUTF8(bytes.data(),
                                                               static_cast<int>(bytes.size()))) {
        return path;
      }
    } else if (auto found =
                   FindInvalidUtf8At(*field->message_type(), bytes, path + ".", depth + 1)) {
      return found;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<BadString> FindBadString(const Message& message) { return Walk(message, "", 0); }

std::optional<std::string> FindInvalidUtf8(const Descriptor& descriptor, absl::string_view wire) {
  return FindInvalidUtf8At(descriptor, wire, "", 0);
}

absl::Status DecodeRequest(absl::string_view wire, Message* request) {
  if (!request->ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    if (auto field = FindInvalidUtf8(*request->GetDescriptor(), wire)) {
      return InvalidField(*field, "is not valid UTF-8");
    }
    return InvalidField("request", absl::StrCat("is not a valid ",
                                                request->GetDescriptor()->full_name(), " message"));
  }
  if (auto bad = FindBadString(*request)) return InvalidField(bad->field, bad->problem);
  return absl::OkStatus();
}

}  // namespace returns::api
