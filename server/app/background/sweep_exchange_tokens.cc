#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_transition.h"
#include "app/background/background_passes.h"
#include "storage/exchange_token_store.h"
#include "storage/transaction.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

constexpr int kBatch = 100;
constexpr int kMerchantsPerSweep = 100;

// One merchant's due tokens, in one transaction of that merchant's own (a merchant whose rows are
// locked elsewhere never holds up the others). Every deadline is compared with the database's
// now() in the claiming statements, never with this replica's clock.
absl::Status SweepMerchant(const AppContext& app, const std::string& merchant,
                           SweepResult& result) {
  return storage::RunTransaction(
      *app.pool, "SweepExchangeTokens", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        const CallContext call = SweeperCall(merchant);
        int expired = 0;
        int charge_due = 0;
        // Unredeemed tokens past expire_time: EXPIRED, reservation released. Lock order: tokens,
        // stock (SKU order), change feed.
        storage::ExchangeTokenStore tokens(tx);
        const std::vector<storage::ExpiredToken> claimed =
            tokens.ClaimExpiredTokens(merchant, kBatch);
        std::map<std::string, int32_t> released;
        for (const storage::ExpiredToken& t : claimed) released[t.replacement_sku] += t.quantity;
        ReleaseReservations(tx, merchant, released);
        for (const storage::ExpiredToken& t : claimed) {
          MoveExchangeToken(tx, call, t.exchange_token_id, t.order_id,
                            v1::EXCHANGE_TOKEN_STATE_EXPIRED, event_type::kExchangeTokenExpired,
                            "Exchange token expired unredeemed; reservation released");
          ++expired;
        }
        // Redeemed tokens whose original is overdue (no scan by the charge deadline, or scanned
        // and then neither delivered nor received within the transit window) and whose
        // replacement shipped: the charge falls due, at most once per token.
        for (const storage::ChargeDueToken& t : tokens.ClaimChargeDueTokens(merchant, kBatch)) {
          const bool in_transit = t.state == "IN_TRANSIT";
          charge_due += ChargeForOriginal(
              tx, call, t.exchange_token_id,
              in_transit ? "Original not delivered within the transit window after its first scan"
                         : "Original not shipped back by the charge deadline");
        }
        result.expired += expired;
        result.charge_due += charge_due;
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<SweepResult> SweepExchangeTokens(const AppContext& app) {
  SweepResult result;
  std::vector<std::string> merchants;
  absl::Status status = storage::RunSingleRead(
      *app.pool, "MerchantsWithDueTokens", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        merchants = storage::ExchangeTokenStore(tx).MerchantsWithDueTokens(kMerchantsPerSweep);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (const std::string& merchant : merchants) {
    SweepResult merchant_result;
    status = SweepMerchant(app, merchant, merchant_result);
    if (!status.ok()) return status;  // the next sweep takes it up again
    result.expired += merchant_result.expired;
    result.charge_due += merchant_result.charge_due;
  }
  return result;
}

}  // namespace returns::app
