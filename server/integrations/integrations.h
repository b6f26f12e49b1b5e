#pragma once

#include <map>
#include <memory>
#include <string>

#include "integrations/blob_store.h"
#include "integrations/carrier.h"
#include "integrations/damage_assessor.h"
#include "integrations/notifier.h"
#include "integrations/warehouse.h"

// The other systems the service calls, set up once in main() (tests plug in their own).
namespace returns::integrations {

struct Integrations {
  std::map<std::string, std::shared_ptr<CarrierAdapter>> carriers;  // by code
  std::shared_ptr<WarehouseAdapter> warehouse;
  std::shared_ptr<Notifier> notifier;
  // Where evidence photos are kept, and what looks at them.
  std::shared_ptr<BlobStore> blob_store;
  std::shared_ptr<DamageAssessor> damage_assessor;

  // nullptr for an unknown code.
  CarrierAdapter* Carrier(const std::string& code) const {
    auto it = carriers.find(code);
    return it == carriers.end() ? nullptr : it->second.get();
  }
};

// The built-in sandbox carrier, sandbox warehouse, log notifier and PostgreSQL blob store: the
// default. No damage assessor: a model that decides money is never assumed (returnsd adds the
// sandbox one only with --sandbox_damage_assessor).
Integrations SandboxIntegrations();

}  // namespace returns::integrations
