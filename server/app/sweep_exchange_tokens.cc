#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/move_exchange_token.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

constexpr int kBatch = 100;
constexpr int kMerchantsPerSweep = 100;

// One merchant's due tokens, in one transaction of that merchant's own (a merchant whose rows are
// locked elsewhere never holds up the others). Every deadline is compared with the database's
// now() in the claiming statements, never with this replica's clock.
absl::Status SweepMerchant(const AppContext& app, const std::string& merchant, SweepResult& result) {
  return storage::RunTransaction(
      *app.pool, "SweepExchangeTokens", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        const CallContext call = SweeperCall(merchant);
        int expired = 0;
        int charge_due = 0;
        // Unredeemed tokens past expire_time: EXPIRED, reservation released. Lock order: tokens,
        // stock (SKU order), change feed.
        auto claimed = tx.Exec("exchange_tokens/claim_expired_tokens", merchant, kBatch);
        std::map<std::string, int32_t> released;
        for (const auto& t : claimed) released[t[1].as<std::string>()] += t[2].as<int32_t>();
        ReleaseReservations(tx, merchant, released);
        for (const auto& t : claimed) {
          MoveExchangeToken(tx, call, t[0].as<std::string>(), t[3].as<std::string>(),
                            v1::EXCHANGE_TOKEN_STATE_EXPIRED, "exchange_token.expired",
                            "Exchange token expired unredeemed; reservation released");
          ++expired;
        }
        // Redeemed tokens whose original is overdue (no scan by the charge deadline, or scanned
        // and then neither delivered nor received within the transit window) and whose
        // replacement shipped: the charge falls due, at most once per token.
        for (const auto& t : tx.Exec("exchange_tokens/claim_charge_due_tokens", merchant, kBatch)) {
          const bool in_transit = t[1].as<std::string>() == "IN_TRANSIT";
          charge_due += ChargeForOriginal(
              tx, call, t[0].as<std::string>(),
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
        merchants.clear();
        for (const auto& row : tx.Exec("exchange_tokens/merchants_with_due_tokens", kMerchantsPerSweep)) {
          merchants.push_back(row[0].as<std::string>());
        }
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
