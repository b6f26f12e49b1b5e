#include "common/enum_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace returns {
namespace {

// "RETURN_STATE_" for ReturnState; empty for an enum without a *_UNSPECIFIED zero value.
absl::string_view Prefix(const google::protobuf::EnumDescriptor& descriptor) {
  const google::protobuf::EnumValueDescriptor* zero = descriptor.FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  if (!absl::ConsumeSuffix(&name, "UNSPECIFIED")) return "";
  return name;
}

}  // namespace

std::string EnumText(const google::protobuf::EnumDescriptor& descriptor, int number) {
  const google::protobuf::EnumValueDescriptor* value = descriptor.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat("UNKNOWN_", number);
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, Prefix(descriptor));
  return std::string(name);
}

std::optional<int> ParseEnumNumber(const google::protobuf::EnumDescriptor& descriptor,
                                   absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  const google::protobuf::EnumValueDescriptor* value = descriptor.FindValueByName(upper);
  if (value == nullptr) value = descriptor.FindValueByName(absl::StrCat(Prefix(descriptor), upper));
  if (value == nullptr || value->number() == 0) return std::nullopt;
  return value->number();
}

}  // namespace returns
