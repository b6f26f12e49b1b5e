#include "integrations/integrations.h"

#include "common/log.h"
#include "integrations/log_notifier.h"
#include "integrations/postgres_blob_store.h"
#include "integrations/sandbox_carrier.h"
#include "integrations/sandbox_warehouse.h"

namespace returns::integrations {

absl::Status LogNotifier::Notify(const Notification& notification) {
  log::Info("customer notification", {{"template", notification.template_name},
                                      {"merchant", notification.merchant_id},
                                      {"order_id", notification.order_id},
                                      {"subject_id", notification.subject_id}});
  return absl::OkStatus();
}

Integrations SandboxIntegrations() {
  Integrations integrations;
  auto sandbox = std::make_shared<SandboxCarrier>();
  integrations.carriers[sandbox->code()] = sandbox;
  integrations.warehouse = std::make_shared<SandboxWarehouse>();
  integrations.notifier = std::make_shared<LogNotifier>();
  integrations.blob_store = std::make_shared<PostgresBlobStore>();
  return integrations;
}

}  // namespace returns::integrations
