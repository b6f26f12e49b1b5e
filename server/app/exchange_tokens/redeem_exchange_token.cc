#include "absl/strings/str_cat.h"
#include "app/common/enqueue_job.h"
#include "app/common/idempotency.h"
#include "app/logistics/shipment_events.h"
#include "app/common/record_transition.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "storage/exchange_token_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status RedeemExchangeToken(const AppContext& app, CallContext& call,
                                 const v1::RedeemExchangeTokenRequest& request,
                                 v1::ExchangeToken* response) {
  // One answer for a tampered, unknown, expired, revoked or already redeemed token.
  // One answer for every token that cannot be redeemed, whatever the cause (not guessable).
  const auto invalid = [] {
    return InvalidField("token", "is not a redeemable exchange token",
                        reason::kExchangeTokenInvalid);
  };
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        if (!app.token_codec->Verify(request.token())) return invalid();
        storage::ExchangeTokenStore tokens(tx);
        const std::optional<storage::LockedTokenByHash> t = tokens.LockExchangeTokenByHash(
            call.merchant_id, ExchangeTokenCodec::Hash(request.token()));
        if (!t) return invalid();
        // A token of a return whose original is already in (or that was closed) is not redeemable;
        // nor is one past expire_time by the database's clock, even if not swept yet.
        const auto return_state = ParseEnum<v1::ReturnState>(t->return_state);
        if (t->state != "ISSUED" || !t->alive || !return_state || !AwaitsOriginal(*return_state)) {
          return invalid();
        }
        const std::string token_id = t->exchange_token_id;
        const std::string sku = t->replacement_sku;
        const int32_t quantity = t->quantity;
        const std::string order_id = t->order_id;
        // The reservation becomes an allocation: the replacement leaves the stock.
        tokens.AllocateStock(call.merchant_id, sku, quantity);
        const std::string shipment_id = tokens.RedeemExchangeToken(call.merchant_id, token_id);
        *response = *tokens.GetExchangeToken(call.merchant_id, token_id);
        RecordTransition(tx, call,
                         Transition{order_id, "exchange_token", token_id,
                                    event_type::kExchangeTokenRedeemed, "REDEEMED",
                                    absl::StrCat("Exchange token redeemed: replacement ", quantity,
                                                 " x ", sku, " to ship"),
                                    response});
        EnqueueJob(tx, call.merchant_id,
                   JobSpec{v1::JOB_KIND_REQUEST_FULFILLMENT, FulfillmentRequestKey(shipment_id),
                           order_id, shipment_id});
        RecordShipmentTransition(
            tx, call, shipment_id, event_type::kShipmentRequested,
            absl::StrCat("Outbound replacement shipment requested: ", quantity, " x ", sku));
        return absl::OkStatus();
      },
      IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
