#pragma once

#include "integrations/notifier.h"

namespace returns::integrations {

// The built-in notifier: one structured log line per notification (template, order, subject;
// never the customer's address). A real e-mail or SMS provider replaces it behind Notifier.
class LogNotifier : public Notifier {
 public:
  absl::Status Notify(const Notification& notification) override;
};

}  // namespace returns::integrations
