#include "storage/exchange_token_store.h"

#include "storage/field_reading.h"
#include <pqxx/row>

#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;

// A row of get_exchange_token.sql or list_exchange_tokens.sql.
v1::ExchangeToken ExchangeTokenFromRow(const pqxx::row& row) {
  v1::ExchangeToken t;
  t.set_exchange_token_id(row["exchange_token_id"].as<std::string>());
  t.set_return_id(row["return_id"].as<std::string>());
  t.set_order_id(row["order_id"].as<std::string>());
  t.set_order_line_id(row["order_line_id"].as<std::string>());
  t.set_replacement_sku(row["replacement_sku"].as<std::string>());
  t.set_quantity(row["quantity"].as<int32_t>());
  t.set_state(ParseEnum<v1::ExchangeTokenState>(row["state"].as<std::string>())
                  .value_or(v1::EXCHANGE_TOKEN_STATE_UNSPECIFIED));
  const std::string currency = row["currency_code"].as<std::string>();
  t.mutable_upsell_amount_due()->set_currency_code(currency);
  t.mutable_upsell_amount_due()->set_amount_minor(row["upsell_minor"].as<int64_t>());
  t.mutable_downsell_credit()->set_currency_code(currency);
  t.mutable_downsell_credit()->set_amount_minor(row["downsell_minor"].as<int64_t>());
  if (!row["collateral_reference"].as<std::string>().empty()) {
    v1::PaymentCollateral* c = t.mutable_collateral();
    c->set_authorization_reference(row["collateral_reference"].as<std::string>());
    c->mutable_amount()->set_currency_code(currency);
    c->mutable_amount()->set_amount_minor(row["collateral_minor"].as<int64_t>());
    SetMicros(row["collateral_expire_time_us"], [&] { return c->mutable_expire_time(); });
  }
  SetMicros(row["expire_time_us"], [&] { return t.mutable_expire_time(); });
  SetMicros(row["charge_deadline_us"], [&] { return t.mutable_charge_deadline(); });
  SetMicros(row["create_time_us"], [&] { return t.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return t.mutable_update_time(); });
  t.mutable_charge_amount()->set_currency_code(currency);
  t.mutable_charge_amount()->set_amount_minor(row["charge_minor"].as<int64_t>());
  t.set_charge_attempt(row["charge_attempt"].as<int32_t>());
  SetMicros(row["transit_deadline_us"], [&] { return t.mutable_transit_deadline(); });
  t.set_charge_refund_requested(row["charge_refund_requested"].as<bool>());
  // NULL for tokens issued before policies were versioned.
  if (!row["policy_version"].is_null()) t.set_policy_version(row["policy_version"].as<int64_t>());
  return t;
}

}  // namespace

void ExchangeTokenStore::AllocateStock(const std::string& merchant_id, const std::string& sku,
                                       int32_t quantity) {
  tx_.Exec(sql::kExchangeTokensAllocateStock, merchant_id, sku, quantity);
}

std::vector<ChargeDueToken> ExchangeTokenStore::ClaimChargeDueTokens(const std::string& merchant_id,
                                                                     int limit) {
  std::vector<ChargeDueToken> tokens;
  for (const auto& row : tx_.Exec(sql::kExchangeTokensClaimChargeDueTokens, merchant_id, limit)) {
    tokens.push_back(
        ChargeDueToken{row["exchange_token_id"].as<std::string>(), row["state"].as<std::string>()});
  }
  return tokens;
}

std::vector<ExpiredToken> ExchangeTokenStore::ClaimExpiredTokens(const std::string& merchant_id,
                                                                 int limit) {
  std::vector<ExpiredToken> tokens;
  for (const auto& row : tx_.Exec(sql::kExchangeTokensClaimExpiredTokens, merchant_id, limit)) {
    tokens.push_back(ExpiredToken{
        row["exchange_token_id"].as<std::string>(), row["replacement_sku"].as<std::string>(),
        row["quantity"].as<int32_t>(), row["order_id"].as<std::string>()});
  }
  return tokens;
}

ChargeStatus ExchangeTokenStore::GetChargeStatus(const std::string& merchant_id,
                                                 const std::string& exchange_token_id) {
  auto rows = tx_.Exec(sql::kExchangeTokensGetChargeStatus, merchant_id, exchange_token_id);
  const auto& row = rows[0];
  return ChargeStatus{row["charge_raised"].as<bool>(), row["charge_outcome"].as<std::string>(),
                      row["charge_attempt"].as<int32_t>(),
                      row["charge_refund_requested"].as<bool>()};
}

std::optional<v1::ExchangeToken> ExchangeTokenStore::GetExchangeToken(
    const std::string& merchant_id, const std::string& exchange_token_id) {
  auto rows = tx_.Exec(sql::kExchangeTokensGetExchangeToken, merchant_id, exchange_token_id);
  if (rows.empty()) return std::nullopt;
  return ExchangeTokenFromRow(rows[0]);
}

bool ExchangeTokenStore::HasLiveToken(const std::string& merchant_id, const std::string& return_id,
                                      const std::string& order_line_id) {
  return !tx_.Exec(sql::kExchangeTokensHasLiveToken, merchant_id, return_id, order_line_id).empty();
}

std::string ExchangeTokenStore::InsertExchangeToken(
    const std::string& merchant_id, const std::string& token_hash, const std::string& return_id,
    const std::string& order_id, const std::string& order_line_id,
    const std::string& replacement_sku, int32_t quantity, const std::string& currency_code,
    int64_t upsell_minor, int64_t downsell_minor, int64_t charge_minor,
    const std::string& collateral_reference, int64_t collateral_minor,
    const std::string& collateral_expire_us, int ttl_days, int charge_window_days,
    int transit_window_days) {
  auto rows =
      tx_.Exec(sql::kExchangeTokensInsertExchangeToken, merchant_id, token_hash, return_id,
               order_id, order_line_id, replacement_sku, quantity, currency_code, upsell_minor,
               downsell_minor, charge_minor, collateral_reference, collateral_minor,
               collateral_expire_us, ttl_days, charge_window_days, transit_window_days);
  return rows[0]["exchange_token_id"].as<std::string>();
}

std::vector<std::string> ExchangeTokenStore::LinesWithReplacementSent(
    const std::string& merchant_id, const std::string& return_id) {
  std::vector<std::string> order_line_ids;
  for (const auto& row :
       tx_.Exec(sql::kExchangeTokensLinesWithReplacementSent, merchant_id, return_id)) {
    order_line_ids.push_back(row["order_line_id"].as<std::string>());
  }
  return order_line_ids;
}

std::vector<v1::ExchangeToken> ExchangeTokenStore::ListExchangeTokens(
    const std::string& merchant_id, const std::string& return_id, const std::string& state,
    const std::string& after_create_time_us, const std::string& after_exchange_token_id,
    int limit) {
  std::vector<v1::ExchangeToken> tokens;
  for (const auto& row : tx_.Exec(sql::kExchangeTokensListExchangeTokens, merchant_id, return_id,
                                  state, after_create_time_us, after_exchange_token_id, limit)) {
    tokens.push_back(ExchangeTokenFromRow(row));
  }
  return tokens;
}

std::optional<LockedExchangeToken> ExchangeTokenStore::LockExchangeToken(
    const std::string& merchant_id, const std::string& exchange_token_id) {
  auto rows = tx_.Exec(sql::kExchangeTokensLockExchangeToken, merchant_id, exchange_token_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return LockedExchangeToken{row["exchange_token_id"].as<std::string>(),
                             row["state"].as<std::string>(),
                             row["expire_time_us"].as<int64_t>(),
                             row["replacement_sku"].as<std::string>(),
                             row["quantity"].as<int32_t>(),
                             row["order_id"].as<std::string>(),
                             row["return_id"].as<std::string>(),
                             row["charge_window_days"].as<int32_t>()};
}

std::optional<LockedTokenByHash> ExchangeTokenStore::LockExchangeTokenByHash(
    const std::string& merchant_id, const std::string& token_hash) {
  auto rows = tx_.Exec(sql::kExchangeTokensLockExchangeTokenByHash, merchant_id, token_hash);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return LockedTokenByHash{row["exchange_token_id"].as<std::string>(),
                           row["state"].as<std::string>(),
                           row["alive"].as<bool>(),
                           row["replacement_sku"].as<std::string>(),
                           row["quantity"].as<int32_t>(),
                           row["order_id"].as<std::string>(),
                           row["return_id"].as<std::string>(),
                           row["charge_window_days"].as<int32_t>(),
                           row["return_state"].as<std::string>()};
}

std::vector<LiveToken> ExchangeTokenStore::LockLiveTokensOfReturn(const std::string& merchant_id,
                                                                  const std::string& return_id) {
  std::vector<LiveToken> tokens;
  for (const auto& row :
       tx_.Exec(sql::kExchangeTokensLockLiveTokensOfReturn, merchant_id, return_id)) {
    tokens.push_back(
        LiveToken{row["exchange_token_id"].as<std::string>(), row["state"].as<std::string>(),
                  row["replacement_sku"].as<std::string>(), row["quantity"].as<int32_t>(),
                  row["order_id"].as<std::string>(), row["order_line_id"].as<std::string>()});
  }
  return tokens;
}

std::vector<RedeemedToken> ExchangeTokenStore::LockRedeemedTokensOfReturn(
    const std::string& merchant_id, const std::string& return_id) {
  std::vector<RedeemedToken> tokens;
  for (const auto& row :
       tx_.Exec(sql::kExchangeTokensLockRedeemedTokensOfReturn, merchant_id, return_id)) {
    tokens.push_back(
        RedeemedToken{row["exchange_token_id"].as<std::string>(), row["state"].as<std::string>(),
                      row["order_line_id"].as<std::string>(), row["order_id"].as<std::string>(),
                      row["never_scanned"].as<bool>()});
  }
  return tokens;
}

std::optional<ReturnLineForExchange> ExchangeTokenStore::LockReturnLineForExchange(
    const std::string& merchant_id, const std::string& return_id,
    const std::string& order_line_id) {
  auto rows = tx_.Exec(sql::kExchangeTokensLockReturnLineForExchange, merchant_id, return_id,
                       order_line_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  ReturnLineForExchange line;
  line.return_state = row["return_state"].as<std::string>();
  line.order_id = row["order_id"].as<std::string>();
  line.quantity = row["quantity"].as<int32_t>();
  line.resolution = row["resolution"].as<std::string>();
  line.replacement_sku = row["replacement_sku"].as<std::string>();
  line.currency_code = row["currency_code"].as<std::string>();
  line.unit_price_minor = row["unit_price_minor"].as<int64_t>();
  line.instant_exchange_enabled = row["instant_exchange_enabled"].as<bool>();
  line.instant_exchange_max_item_minor = row["instant_exchange_max_item_minor"].as<int64_t>();
  line.exchange_token_ttl_days = row["exchange_token_ttl_days"].as<int32_t>();
  line.charge_window_days = row["charge_window_days"].as<int32_t>();
  line.require_collateral = row["require_collateral"].as<bool>();
  line.replacement_unit_minor = row["replacement_unit_minor"].as<int64_t>();
  line.upsell_minor = row["upsell_minor"].as<int64_t>();
  line.downsell_minor = row["downsell_minor"].as<int64_t>();
  line.transit_window_days = row["transit_window_days"].as<int32_t>();
  line.risk_instant_exchange_max_milli = row["risk_instant_exchange_max_milli"].as<int32_t>();
  line.risk_score_milli = row["risk_score_milli"].as<int32_t>();
  return line;
}

bool ExchangeTokenStore::MarkChargeRefundRequested(const std::string& merchant_id,
                                                   const std::string& exchange_token_id) {
  return !tx_.Exec(sql::kExchangeTokensMarkChargeRefundRequested, merchant_id, exchange_token_id)
              .empty();
}

std::vector<std::string> ExchangeTokenStore::MerchantsWithDueTokens(int limit) {
  std::vector<std::string> merchant_ids;
  for (const auto& row : tx_.Exec(sql::kExchangeTokensMerchantsWithDueTokens, limit)) {
    merchant_ids.push_back(row["merchant_id"].as<std::string>());
  }
  return merchant_ids;
}

void ExchangeTokenStore::RaiseCharge(const std::string& merchant_id,
                                     const std::string& exchange_token_id) {
  tx_.Exec(sql::kExchangeTokensRaiseCharge, merchant_id, exchange_token_id);
}

void ExchangeTokenStore::RecordChargeOutcome(const std::string& merchant_id,
                                             const std::string& exchange_token_id,
                                             const std::string& outcome) {
  tx_.Exec(sql::kExchangeTokensRecordChargeOutcome, merchant_id, exchange_token_id, outcome);
}

std::string ExchangeTokenStore::RedeemExchangeToken(const std::string& merchant_id,
                                                    const std::string& exchange_token_id) {
  auto rows = tx_.Exec(sql::kExchangeTokensRedeemExchangeToken, merchant_id, exchange_token_id);
  return rows[0]["shipment_id"].as<std::string>();
}

void ExchangeTokenStore::ReleaseStock(const std::string& merchant_id, const std::string& sku,
                                      int32_t quantity) {
  tx_.Exec(sql::kExchangeTokensReleaseStock, merchant_id, sku, quantity);
}

bool ExchangeTokenStore::ReserveStock(const std::string& merchant_id, const std::string& sku,
                                      int32_t quantity) {
  return !tx_.Exec(sql::kExchangeTokensReserveStock, merchant_id, sku, quantity).empty();
}

std::optional<std::string> ExchangeTokenStore::RotateTokenHash(const std::string& merchant_id,
                                                               const std::string& exchange_token_id,
                                                               const std::string& token_hash) {
  auto rows =
      tx_.Exec(sql::kExchangeTokensRotateTokenHash, merchant_id, exchange_token_id, token_hash);
  if (rows.empty()) return std::nullopt;
  return rows[0]["order_id"].as<std::string>();
}

void ExchangeTokenStore::SetExchangeTokenState(const std::string& merchant_id,
                                               const std::string& exchange_token_id,
                                               const std::string& state) {
  tx_.Exec(sql::kExchangeTokensSetExchangeTokenState, merchant_id, exchange_token_id, state);
}

void ExchangeTokenStore::StartTransitDeadline(const std::string& merchant_id,
                                              const std::string& exchange_token_id) {
  tx_.Exec(sql::kExchangeTokensStartTransitDeadline, merchant_id, exchange_token_id);
}

}  // namespace returns::storage
