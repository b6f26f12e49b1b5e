#pragma once

#include <optional>

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "domain/exchange_token_codec.h"
#include "service/flags.h"
#include "storage/connection_pool.h"

namespace returns {

// What the service needs from the database before it can take calls: the migrations applied
// (unless --no_migrate), the page-token secret and the exchange-token keys, which it puts in
// `app` (the codec lives in `codec`). UNAVAILABLE while the database cannot be reached or is not
// migrated yet (another replica or a migration job may be doing it); any other error is for the
// operator (an edited migration, bad keys).
absl::Status PrepareDatabase(const Flags& flags, storage::ConnectionPool& pool,
                             app::AppContext& app, std::optional<ExchangeTokenCodec>& codec);

// `returnsd migrate`: applies the pending migrations on the direct URL; the exit code.
int Migrate(const Flags& flags);

// `returnsd create-merchant`: a merchant and its first ADMIN key, printed once; the exit code.
int CreateMerchantCommand(const Flags& flags);

}  // namespace returns
