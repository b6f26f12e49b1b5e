#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/logistics_use_cases.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/carrier_account_store.h"

namespace returns::app {

absl::Status DeleteCarrierAccount(const AppContext& app, CallContext& call,
                                  const v1::DeleteCarrierAccountRequest& request,
                                  v1::CarrierAccount* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    std::optional<storage::StoredCarrierAccount> deleted =
        storage::CarrierAccountStore(tx).DeleteAccount(call.merchant_id, request.carrier());
    if (!deleted) return NotFoundError("carrier account", request.carrier());
    *response = deleted->account;
    RecordTransition(
        tx, call,
        Transition{"", "carrier_account", request.carrier(), event_type::kCarrierAccountDeleted,
                   "DELETED", absl::StrCat("Carrier account deleted: ", request.carrier()),
                   response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
