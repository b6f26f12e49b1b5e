#pragma once

#include <string>

#include "absl/status/status.h"

// Customer notifications (label ready, refund requested), behind one interface like the
// carriers (server/integrations/carrier.h has the rules on idempotency keys and retried errors).
namespace returns::integrations {

struct Notification {
  std::string idempotency_key;  // the job's dedup key: one message per event
  std::string merchant_id;
  std::string order_id;
  std::string template_name;  // "return_label_ready", "refund_requested", ...
  std::string subject_id;     // the return or shipment it is about
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual absl::Status Notify(const Notification& notification) = 0;
};

}  // namespace returns::integrations
