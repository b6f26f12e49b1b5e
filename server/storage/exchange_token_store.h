#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/exchange_token.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// exchange_tokens/lock_exchange_token.sql: a token, locked FOR UPDATE.
struct LockedExchangeToken {
  std::string exchange_token_id;
  std::string state;
  int64_t expire_time_us = 0;
  std::string replacement_sku;
  int32_t quantity = 0;
  std::string order_id;
  std::string return_id;
  int32_t charge_window_days = 0;
};

// exchange_tokens/lock_exchange_token_by_hash.sql: a token found by its hash, locked, with its
// return's state and whether it is within its life by the database's clock.
struct LockedTokenByHash {
  std::string exchange_token_id;
  std::string state;
  bool alive = false;
  std::string replacement_sku;
  int32_t quantity = 0;
  std::string order_id;
  std::string return_id;
  int32_t charge_window_days = 0;
  std::string return_state;
};

// exchange_tokens/lock_live_tokens_of_return.sql: a token not expired, revoked or settled.
struct LiveToken {
  std::string exchange_token_id;
  std::string state;
  std::string replacement_sku;
  int32_t quantity = 0;
  std::string order_id;
  std::string order_line_id;
};

// exchange_tokens/lock_redeemed_tokens_of_return.sql: a token whose original is awaited.
struct RedeemedToken {
  std::string exchange_token_id;
  std::string state;
  std::string order_line_id;
  std::string order_id;
  bool never_scanned = false;  // no transit deadline yet
};

// exchange_tokens/claim_expired_tokens.sql: an ISSUED token past its expire_time.
struct ExpiredToken {
  std::string exchange_token_id;
  std::string replacement_sku;
  int32_t quantity = 0;
  std::string order_id;
};

// exchange_tokens/claim_charge_due_tokens.sql: a token whose original is overdue.
struct ChargeDueToken {
  std::string exchange_token_id;
  std::string state;
};

// exchange_tokens/get_charge_status.sql.
struct ChargeStatus {
  bool charge_raised = false;
  std::string charge_outcome;  // '' while awaited, CHARGED or CHARGE_FAILED
  int32_t charge_attempt = 0;
  bool charge_refund_requested = false;
};

// exchange_tokens/lock_return_line_for_exchange.sql: the return (locked), its line with the
// price and quote snapshotted at CreateReturn, and the policy.
struct ReturnLineForExchange {
  std::string return_state;
  std::string order_id;
  int32_t quantity = 0;
  std::string resolution;
  std::string replacement_sku;
  std::string currency_code;
  int64_t unit_price_minor = 0;
  bool instant_exchange_enabled = false;
  int64_t instant_exchange_max_item_minor = 0;
  int32_t exchange_token_ttl_days = 0;
  int32_t charge_window_days = 0;
  bool require_collateral = false;
  int64_t replacement_unit_minor = 0;
  int64_t upsell_minor = 0;
  int64_t downsell_minor = 0;
  int32_t transit_window_days = 0;
  int32_t risk_instant_exchange_max_milli = 0;
  int32_t risk_score_milli = 0;  // 0 when the return was not scored
};

// The statements of storage/sql/exchange_tokens/, with their rows read by column name. The
// reserve, allocate and release of a token's stock are among them: they move inventory_levels
// for a token.
class ExchangeTokenStore {
 public:
  explicit ExchangeTokenStore(Tx& tx) : tx_(tx) {}

  // allocate_stock.sql: a redeemed reservation leaves the stock.
  void AllocateStock(const std::string& merchant_id, const std::string& sku, int32_t quantity);
  // claim_charge_due_tokens.sql: the merchant's overdue tokens, locked SKIP LOCKED.
  std::vector<ChargeDueToken> ClaimChargeDueTokens(const std::string& merchant_id, int limit);
  // claim_expired_tokens.sql: the merchant's ISSUED tokens past expire_time, locked SKIP LOCKED.
  std::vector<ExpiredToken> ClaimExpiredTokens(const std::string& merchant_id, int limit);
  // get_charge_status.sql: the token's charge; the token must exist (the caller locked it).
  ChargeStatus GetChargeStatus(const std::string& merchant_id,
                               const std::string& exchange_token_id);
  // get_exchange_token.sql: the token; nullopt when there is none.
  std::optional<v1::ExchangeToken> GetExchangeToken(const std::string& merchant_id,
                                                    const std::string& exchange_token_id);
  // has_live_token.sql: whether the return line has a token neither expired nor revoked.
  bool HasLiveToken(const std::string& merchant_id, const std::string& return_id,
                    const std::string& order_line_id);
  // insert_exchange_token.sql: the new ISSUED token's id. `collateral_expire_us` is the
  // collateral's expiry in µs, or '' for none.
  std::string InsertExchangeToken(const std::string& merchant_id, const std::string& token_hash,
                                  const std::string& return_id, const std::string& order_id,
                                  const std::string& order_line_id,
                                  const std::string& replacement_sku, int32_t quantity,
                                  const std::string& currency_code, int64_t upsell_minor,
                                  int64_t downsell_minor, int64_t charge_minor,
                                  const std::string& collateral_reference, int64_t collateral_minor,
                                  const std::string& collateral_expire_us, int ttl_days,
                                  int charge_window_days, int transit_window_days);
  // lines_with_replacement_sent.sql: the order_line_ids whose replacement went out.
  std::vector<std::string> LinesWithReplacementSent(const std::string& merchant_id,
                                                    const std::string& return_id);
  // list_exchange_tokens.sql: a page of tokens, oldest first ('' filters match all).
  std::vector<v1::ExchangeToken> ListExchangeTokens(const std::string& merchant_id,
                                                    const std::string& return_id,
                                                    const std::string& state,
                                                    const std::string& after_create_time_us,
                                                    const std::string& after_exchange_token_id,
                                                    int limit);
  // lock_exchange_token.sql: the token, locked FOR UPDATE; nullopt when there is none.
  std::optional<LockedExchangeToken> LockExchangeToken(const std::string& merchant_id,
                                                       const std::string& exchange_token_id);
  // lock_exchange_token_by_hash.sql: the token with that hash, locked; nullopt when none.
  std::optional<LockedTokenByHash> LockExchangeTokenByHash(const std::string& merchant_id,
                                                           const std::string& token_hash);
  // lock_live_tokens_of_return.sql: the return's tokens that still matter, locked.
  std::vector<LiveToken> LockLiveTokensOfReturn(const std::string& merchant_id,
                                                const std::string& return_id);
  // lock_redeemed_tokens_of_return.sql: the return's tokens whose original is awaited, locked.
  std::vector<RedeemedToken> LockRedeemedTokensOfReturn(const std::string& merchant_id,
                                                        const std::string& return_id);
  // lock_return_line_for_exchange.sql: what IssueExchangeToken decides on, the return locked;
  // nullopt when the return has no such line.
  std::optional<ReturnLineForExchange> LockReturnLineForExchange(const std::string& merchant_id,
                                                                 const std::string& return_id,
                                                                 const std::string& order_line_id);
  // mark_charge_refund_requested.sql: true the first time only (the refund is asked for once).
  bool MarkChargeRefundRequested(const std::string& merchant_id,
                                 const std::string& exchange_token_id);
  // merchants_with_due_tokens.sql: merchants with a token the sweeper must move now.
  std::vector<std::string> MerchantsWithDueTokens(int limit);
  // raise_charge.sql: the token becomes CHARGE_DUE with a new charge attempt.
  void RaiseCharge(const std::string& merchant_id, const std::string& exchange_token_id);
  // record_charge_outcome.sql: `outcome` is CHARGED or CHARGE_FAILED.
  void RecordChargeOutcome(const std::string& merchant_id, const std::string& exchange_token_id,
                           const std::string& outcome);
  // redeem_exchange_token.sql: the id of the outbound shipment requested for the replacement.
  std::string RedeemExchangeToken(const std::string& merchant_id,
                                  const std::string& exchange_token_id);
  // release_stock.sql: gives a reservation back.
  void ReleaseStock(const std::string& merchant_id, const std::string& sku, int32_t quantity);
  // reserve_stock.sql: false when not enough is available (or there is no such SKU).
  bool ReserveStock(const std::string& merchant_id, const std::string& sku, int32_t quantity);
  // rotate_token_hash.sql: the token's order_id when its hash was rotated; nullopt when the
  // token is no longer ISSUED and alive.
  std::optional<std::string> RotateTokenHash(const std::string& merchant_id,
                                             const std::string& exchange_token_id,
                                             const std::string& token_hash);
  // set_exchange_token_state.sql.
  void SetExchangeTokenState(const std::string& merchant_id, const std::string& exchange_token_id,
                             const std::string& state);
  // start_transit_deadline.sql: from the original's first scan only.
  void StartTransitDeadline(const std::string& merchant_id, const std::string& exchange_token_id);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
