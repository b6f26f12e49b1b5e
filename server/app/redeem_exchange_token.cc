#include "absl/strings/str_cat.h"
#include "app/enqueue_job.h"
#include "app/idempotency.h"
#include "app/shipment_events.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status RedeemExchangeToken(const AppContext& app, CallContext& call,
                                 const v1::RedeemExchangeTokenRequest& request,
                                 v1::ExchangeToken* response) {
  // One answer for a tampered, unknown, expired, revoked or already redeemed token.
  const absl::Status invalid =
      InvalidField("token", "is not a redeemable exchange token", reason::kExchangeTokenInvalid);
  return RunIdempotent(app, call, "RedeemExchangeToken", request, response, [&](storage::Tx& tx) {
    if (!app.token_codec->Verify(request.token())) return invalid;
    auto rows = tx.Exec("exchange_tokens/lock_exchange_token_by_hash", call.merchant_id,
                        ExchangeTokenCodec::Hash(request.token()));
    if (rows.empty()) return invalid;
    const auto& t = rows[0];
    // A token of a return whose original is already in (or that was closed) is not redeemable;
    // nor is one past expire_time by the database's clock, even if not swept yet.
    const auto return_state = ParseReturnState(t[8].as<std::string>());
    if (t[1].as<std::string>() != "ISSUED" || !t[2].as<bool>() ||
        !return_state || !AwaitsOriginal(*return_state)) {
      return invalid;
    }
    const std::string token_id = t[0].as<std::string>();
    const std::string sku = t[3].as<std::string>();
    const int32_t quantity = t[4].as<int32_t>();
    const std::string order_id = t[5].as<std::string>();
    // The reservation becomes an allocation: the replacement leaves the stock.
    tx.Exec("exchange_tokens/allocate_stock", call.merchant_id, sku, quantity);
    const std::string shipment_id =
        tx.Exec("exchange_tokens/redeem_exchange_token", call.merchant_id, token_id)[0][0]
            .as<std::string>();
    *response = storage::ExchangeTokenFromRow(
        tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0]);
    RecordTransition(tx, call,
                     Transition{order_id, "exchange_token", token_id, "exchange_token.redeemed",
                                "REDEEMED",
                                absl::StrCat("Exchange token redeemed: replacement ", quantity, " x ",
                                             sku, " to ship"),
                                response});
    EnqueueJob(tx, call.merchant_id,
               JobSpec{"REQUEST_FULFILMENT", "request_fulfilment:" + shipment_id, order_id, shipment_id});
    RecordShipmentTransition(tx, call, shipment_id, "shipment.requested",
                             absl::StrCat("Outbound replacement shipment requested: ", quantity,
                                          " x ", sku));
    return absl::OkStatus();
  }, IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
