#include "integrations/sandbox_carrier.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace returns::integrations {
namespace {

// ZPL field data may not contain the control characters ^ and ~.
std::string ZplText(std::string text) {
  for (char& c : text) {
    if (c == '^' || c == '~' || static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text.substr(0, 60);
}

std::string AddressLine(const std::string& address_json) {
  auto address = nlohmann::json::parse(address_json, nullptr, /*allow_exceptions=*/false);
  if (!address.is_object()) return "";
  std::string line;
  for (const char* key : {"name", "line1", "postal_code", "city", "country_code"}) {
    if (address.contains(key) && address[key].is_string()) {
      absl::StrAppend(&line, line.empty() ? "" : ", ", address[key].get<std::string>());
    }
  }
  return line;
}

}  // namespace

std::string SandboxCarrier::TrackingNumberFor(const std::string& idempotency_key) {
  const std::string digest = crypto::Sha256Hex(absl::StrCat("sandbox-label:", idempotency_key));
  std::string digits;
  for (char c : digest) {
    digits.push_back(static_cast<char>(
        '0' + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c - 'a' + 10) % 10)));
    if (digits.size() == 12) break;
  }
  return "SBX" + digits;
}

absl::StatusOr<Label> SandboxCarrier::CreateLabel(const LabelRequest& request) {
  Label label;
  label.tracking_number = TrackingNumberFor(request.idempotency_key);
  label.format = "ZPL";
  label.carrier_reference = "sandbox-label-" + request.idempotency_key;
  label.document =
      absl::StrCat("^XA\n^CF0,40\n^FO50,50^FDSANDBOX RETURN LABEL^FS\n",
                   "^CF0,28\n^FO50,110^FDFrom: ", ZplText(AddressLine(request.ship_from_json)),
                   "^FS\n", "^FO50,150^FDOrder: ", ZplText(request.order_id), "^FS\n",
                   "^FO50,190^FDReturn: ", ZplText(request.return_id), "^FS\n",
                   "^BY3,2,120\n^FO50,250^BC^FD", label.tracking_number, "^FS\n",
                   "^FO50,420^FDNot valid for shipping: sandbox carrier^FS\n^XZ\n");
  return label;
}

absl::Status SandboxCarrier::VoidLabel(const std::string&, const std::string&) {
  return absl::OkStatus();
}

}  // namespace returns::integrations
