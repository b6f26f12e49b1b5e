#pragma once

#include <memory>

#include "app/common/app_context.h"
#include "integrations/easypost_carrier.h"

// The EasyPost adapter's view of the database (docs/integrations.md, "EasyPost adapter"): each
// merchant's account, its API key opened in memory only for the call, and the call memo that
// keeps a retried label from being bought twice. `app` must outlive what these return.
namespace returns::app {

// FAILED_PRECONDITION CARRIER_ACCOUNT_MISSING for a merchant without an EasyPost account.
integrations::EasyPostAccountLookup EasyPostAccounts(const AppContext* app);

std::shared_ptr<integrations::CallMemo> DatabaseCallMemo(const AppContext* app);

}  // namespace returns::app
