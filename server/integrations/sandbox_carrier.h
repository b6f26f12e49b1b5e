#pragma once

#include "integrations/carrier.h"

namespace returns::integrations {

// The built-in carrier "sandbox": no network, deterministic. The tracking number is "SBX" and 12
// digits derived from the idempotency key (the shipment id), so a retried CreateLabel returns the
// very same label; the document is a 4x6 ZPL label. Tracking events are simulated by the client
// (`returnsctl sandbox advance`), which sends them through RecordCarrierEvents like a carrier's
// webhook would.
class SandboxCarrier : public CarrierAdapter {
 public:
  std::string code() const override { return "sandbox"; }
  bool NeedsAccount() const override { return false; }  // deterministic and free: the demo's
  absl::StatusOr<Label> CreateLabel(const LabelRequest& request) override;
  absl::Status VoidLabel(const std::string& idempotency_key,
                         const std::string& tracking_number) override;

  // The tracking number CreateLabel gives for `idempotency_key`.
  static std::string TrackingNumberFor(const std::string& idempotency_key);
};

}  // namespace returns::integrations
