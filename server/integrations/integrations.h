#pragma once

#include <map>
#include <memory>
#include <string>

#include "integrations/carrier.h"
#include "integrations/notifier.h"
#include "integrations/warehouse.h"

// The other systems the service calls, set up once in main() (tests plug in their own).
namespace returns::integrations {

struct Integrations {
  std::map<std::string, std::shared_ptr<CarrierAdapter>> carriers;  // by code
  std::shared_ptr<WarehouseAdapter> warehouse;
  std::shared_ptr<Notifier> notifier;

  // nullptr for an unknown code.
  CarrierAdapter* Carrier(const std::string& code) const {
    auto it = carriers.find(code);
    return it == carriers.end() ? nullptr : it->second.get();
  }
};

// The built-in sandbox carrier, sandbox warehouse and the log notifier: the default.
Integrations SandboxIntegrations();

}  // namespace returns::integrations
