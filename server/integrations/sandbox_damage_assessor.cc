#include "common/crypto.h"
#include "integrations/damage_assessor.h"

namespace returns::integrations {

absl::StatusOr<Assessment> SandboxDamageAssessor::Assess(const AssessmentRequest& request) {
  static constexpr char kModel[] = "sandbox-damage/1";
  const absl::string_view bytes = request.bytes;
  if (bytes.find("sandbox:no-damage") != absl::string_view::npos) {
    return Assessment{"no_damage_visible", 900, kModel};
  }
  if (bytes.find("sandbox:unclear") != absl::string_view::npos)
    return Assessment{"unclear", 400, kModel};
  const std::string digest = crypto::Sha256Hex(bytes);
  return Assessment{"damage_visible", 800 + std::stoi(digest.substr(0, 4), nullptr, 16) % 100,
                    kModel};
}

}  // namespace returns::integrations
