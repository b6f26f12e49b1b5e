#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/return.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// returns/insert_return.sql: the return just created.
struct InsertedReturn {
  std::string return_id;
  int64_t create_time_us = 0;
};

// returns/list_returns.sql: a return and the create time its page position is made of.
struct ListedReturn {
  v1::Return resource;
  int64_t create_time_us = 0;
};

// returns/lock_return.sql: the return's state, version and order, locked FOR UPDATE.
struct LockedReturnRow {
  std::string state;
  int64_t version = 0;
  std::string order_id;
};

// returns/resolution_lines.sql: a line with the price and exchange quote snapshotted when the
// return was created, and the fees of the return's plan (NULL before plans were kept).
struct ResolutionLineRow {
  std::string order_line_id;
  std::string resolution;
  int64_t unit_price_minor = 0;
  int32_t quantity = 0;
  std::string condition;
  std::string replacement_sku;
  std::string currency_code;
  int64_t upsell_minor = 0;
  int64_t downsell_minor = 0;
  std::optional<int64_t> plan_restocking_fee_minor;
  std::optional<int64_t> plan_return_shipping_fee_minor;
  // The line's own planned restocking fee (NULL before per-line fees).
  std::optional<int64_t> line_restocking_fee_minor;
  // What the customer paid for the line's units (NULL before money as paid), and the order's
  // shipping the return's plan refunds.
  std::optional<int64_t> paid_minor;
  int64_t shipping_refund_minor = 0;
  std::optional<std::string> gift_recipient;  // a gift return's recipient (proto JSON)
  int64_t bonus_credit_minor = 0;             // the bonus its plan quoted if received OK
};

// returns/risk_facts.sql: what the risk score reads (domain/risk_score.h).
struct RiskFactsRow {
  int64_t units_bought = 0;
  int64_t units_returned_elsewhere = 0;
  int32_t recent_claims = 0;
  double days_since_delivery = 0;
  int64_t order_value_minor = 0;
  int64_t order_units = 0;
  int64_t return_units = 0;
};

// The statements of storage/sql/returns/, with their rows read by column name.
class ReturnStore {
 public:
  explicit ReturnStore(Tx& tx) : tx_(tx) {}

  // returns/cancel_return.sql: cancels the return and gives its quantities back to the order.
  void CancelReturn(const std::string& merchant_id, const std::string& return_id,
                    const std::string& reason);
  // returns/get_return.sql: the return as the API shows it; nullopt when there is none.
  std::optional<v1::Return> GetReturn(const std::string& merchant_id, const std::string& return_id);
  // returns/insert_return.sql: inserts the return and its lines, counting them into the order.
  InsertedReturn InsertReturn(const std::string& merchant_id, const std::string& order_id,
                              const std::string& lines_json, const std::string& currency_code,
                              int64_t upsell_minor, int64_t downsell_minor, int64_t policy_version,
                              int64_t plan_restocking_fee_minor,
                              int64_t plan_return_shipping_fee_minor, const std::string& plan_json,
                              int64_t shipping_refund_minor,
                              const std::optional<std::string>& gift_recipient_json);
  // returns/list_return_line_ids.sql: the order line ids the return sends back, in its order.
  std::vector<std::string> ListReturnLineIds(const std::string& merchant_id,
                                             const std::string& return_id);
  // returns/list_returns.sql: a page of returns, oldest first ('' filters match all).
  std::vector<ListedReturn> ListReturns(const std::string& merchant_id, const std::string& order_id,
                                        const std::string& state,
                                        const std::string& after_create_time_us,
                                        const std::string& after_return_id, int limit);
  // returns/lock_return.sql: the return locked FOR UPDATE; nullopt when there is none.
  std::optional<LockedReturnRow> LockReturn(const std::string& merchant_id,
                                            const std::string& return_id);
  // returns/receive_return.sql: records each line's condition and marks the return RECEIVED.
  void ReceiveReturn(const std::string& merchant_id, const std::string& return_id,
                     const std::string& items_json);
  // returns/reject_return.sql: rejects the return and gives its quantities back to the order.
  void RejectReturn(const std::string& merchant_id, const std::string& return_id,
                    const std::string& reason);
  // returns/resolution_lines.sql: the return's lines as a resolution prices them, in order.
  std::vector<ResolutionLineRow> ResolutionLines(const std::string& merchant_id,
                                                 const std::string& return_id);
  // returns/resolve_return.sql: records what the return paid out (with the bonus credit it
  // gave in store credit and off the exchanges' upsell) and marks it RESOLVED.
  void ResolveReturn(const std::string& merchant_id, const std::string& return_id,
                     const std::string& lines_json, int64_t refund_minor,
                     int64_t store_credit_minor, int64_t fees_minor, int64_t upsell_minor,
                     int64_t downsell_minor, int64_t bonus_credit_minor,
                     int64_t exchange_bonus_minor);
  // returns/withdraw_bonus.sql: no bonus credit for the return at resolution; false when it was
  // withdrawn already.
  bool WithdrawBonus(const std::string& merchant_id, const std::string& return_id);
  // returns/return_value.sql: the return's worth, its snapshotted prices times quantities.
  int64_t ReturnValue(const std::string& merchant_id, const std::string& return_id);
  // returns/risk_facts.sql: the facts the risk score of a just-inserted return reads.
  RiskFactsRow RiskFacts(const std::string& merchant_id, const std::string& return_id);
  // returns/set_return_risk.sql: keeps the return's risk score (JSON).
  void SetReturnRisk(const std::string& merchant_id, const std::string& return_id,
                     const std::string& risk_json);
  // returns/set_return_state.sql: moves the locked return to `state`.
  void SetReturnState(const std::string& merchant_id, const std::string& return_id,
                      const std::string& state);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
