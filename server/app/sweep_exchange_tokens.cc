#include "absl/strings/str_cat.h"
#include <map>

#include "app/move_exchange_token.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

constexpr int kBatch = 100;

// The sweeper acts for no caller: transitions carry the merchant and no request_id.
CallContext SweeperCall(const std::string& merchant_id) {
  CallContext call;
  call.merchant_id = merchant_id;
  call.deadline = absl::Now() + absl::Seconds(30);
  return call;
}

}  // namespace

absl::StatusOr<SweepResult> SweepExchangeTokens(const AppContext& app, absl::Time now) {
  SweepResult result;
  const int64_t now_us = absl::ToUnixMicros(now);
  // Unredeemed tokens past expire_time: EXPIRED, reservation released.
  absl::Status status = storage::RunTransaction(
      *app.pool, "ExpireExchangeTokens", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        result.expired = 0;
        std::map<std::string, std::map<std::string, int32_t>> released;  // merchant -> sku -> units
        for (const auto& claimed : tx.Exec("exchange_tokens/claim_expired_tokens", now_us, kBatch)) {
          const std::string merchant = claimed[0].as<std::string>();
          const std::string token_id = claimed[1].as<std::string>();
          auto t = tx.Exec("exchange_tokens/lock_exchange_token", merchant, token_id)[0];
          released[merchant][t[3].as<std::string>()] += t[4].as<int32_t>();
          tx.Exec("exchange_tokens/set_exchange_token_state", merchant, token_id, std::string("EXPIRED"));
          v1::ExchangeToken token = storage::ExchangeTokenFromRow(
              tx.Exec("exchange_tokens/get_exchange_token", merchant, token_id)[0]);
          RecordTransition(tx, SweeperCall(merchant),
                           Transition{t[5].as<std::string>(), "exchange_token", token_id,
                                      "exchange_token.expired", "EXPIRED",
                                      "Exchange token expired unredeemed; reservation released", &token});
          ++result.expired;
        }
        // Stock rows in (merchant, SKU) order, as every other multi-SKU writer takes them.
        for (const auto& [merchant, by_sku] : released) ReleaseReservations(tx, merchant, by_sku);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  // Redeemed tokens whose original has no carrier scan by the charge deadline and whose
  // replacement shipped: CHARGE_DUE, with the amount for the payment system in the event.
  status = storage::RunTransaction(
      *app.pool, "ChargeDueExchangeTokens", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        result.charge_due = 0;
        for (const auto& claimed : tx.Exec("exchange_tokens/claim_charge_due_tokens", now_us, kBatch)) {
          const std::string merchant = claimed[0].as<std::string>();
          const std::string token_id = claimed[1].as<std::string>();
          RaiseExchangeTokenCharge(tx, SweeperCall(merchant), token_id,
                                   "Original not shipped back by the charge deadline");
          ++result.charge_due;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

}  // namespace returns::app
