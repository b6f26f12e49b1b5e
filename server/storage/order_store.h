#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/order.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// orders/get_return_window.sql: what the return rules need of the order and its merchant's
// policy, with the database's clock.
struct ReturnWindow {
  std::optional<int64_t> delivered_time_us;  // NULL: not delivered yet
  int32_t return_window_days = 0;
  std::string final_sale_skus;  // JSON array
  std::string currency_code;
  int64_t now_us = 0;
  // The orchestration policy (as policies/get_orchestration_policy.sql reads it) and its version.
  int64_t auto_approve_max_minor = 0;
  std::string default_carrier;
  int64_t restocking_fee_minor = 0;
  int64_t return_shipping_fee_minor = 0;
  int64_t policy_version = 0;
  int32_t risk_review_threshold_milli = 0;
  int32_t risk_instant_exchange_max_milli = 0;
  // The per-line rules and the restocking fee schedule.
  std::string category_return_window_days;  // JSON object: category -> days
  std::string sku_return_window_days;       // JSON object: SKU -> days
  std::string final_sale_categories;        // JSON array
  int32_t restocking_fee_basis_points = 0;
  int64_t store_credit_restocking_fee_minor = 0;
  int32_t store_credit_restocking_fee_basis_points = 0;
  // Money as paid (docs/money.md): the order's shipping with its tax, and the policy's money
  // rules.
  int64_t shipping_paid_minor = 0;
  std::string shipping_refund_reasons;  // JSON array of ReturnReason short names
  std::string refund_tender_order;      // JSON array of TenderKind short names
  // Gift returns: whether the policy refunds them to the buyer, and the proofs a recipient gives.
  bool gift_refund_to_buyer = false;
  std::string shipping_postal_code;
  std::optional<std::string> gift_code_sha256;
  // Bonus credit (domain/bonus_credit.h).
  int64_t store_credit_bonus_minor = 0;
  int32_t store_credit_bonus_basis_points = 0;
  int64_t exchange_bonus_minor = 0;
  int32_t exchange_bonus_basis_points = 0;
  int64_t bonus_cap_per_return_minor = 0;
  std::string bonus_excluded_categories;  // JSON array
  bool bonus_waives_fees = false;
};

// orders/lock_order_payments.sql and orders/read_order_payments.sql: one tender of the order.
struct OrderPaymentRow {
  std::string payment_id;
  std::string kind;
  std::string reference;
  int64_t amount_minor = 0;
  int64_t refunded_minor = 0;
  int64_t refundable_minor = 0;
};

// orders/lock_order_for_sync.sql: the order's currency and whether any return was ever opened
// against it, the order row locked.
struct OrderSyncLock {
  std::string currency_code;
  bool has_returns = false;
};

// orders/lock_order_lines.sql and orders/read_order_lines.sql: an order line as the return
// rules see it, with the price a new return snapshots.
struct OrderLineRow {
  std::string line_id;
  std::string sku;
  int32_t quantity = 0;
  int32_t returned_quantity = 0;
  int64_t unit_price_minor = 0;
  int32_t claimed_quantity = 0;
  std::string category;
  // What the line paid and the tax in it, and what live returns and claims took of them.
  int64_t paid_minor = 0;
  int64_t tax_minor = 0;
  int64_t taken_paid_minor = 0;
  int64_t taken_tax_minor = 0;
};

// orders/shipped_quantities.sql: the units of an order line in the order's own parcels.
struct ShippedQuantity {
  std::string order_line_id;
  int32_t shipped_quantity = 0;
};

// orders/upsert_order.sql: an order that changed.
struct UpsertedOrder {
  bool inserted = false;  // a new order, not an update
};

// The statements of storage/sql/orders/, with their rows read by column name.
class OrderStore {
 public:
  explicit OrderStore(Tx& tx) : tx_(tx) {}

  // orders/add_refunded_to_payments.sql: adds (sign 1) or gives back (sign -1) refund shares
  // (`shares_json`: [{payment_id, amount_minor}]) to the tenders' refunded amounts.
  void AddRefundedToPayments(const std::string& merchant_id, const std::string& order_id,
                             const std::string& shares_json, int sign);
  // orders/attach_order_shipment.sql: the new parcel's shipment id; nullopt when this carrier's
  // tracking number was attached already.
  std::optional<std::string> AttachOrderShipment(
      const std::string& merchant_id, const std::string& order_id, const std::string& carrier,
      const std::string& tracking_number, int64_t promise_time_us, const std::string& lines_json);
  // orders/get_order.sql: the order as the API shows it; nullopt when there is none.
  std::optional<v1::Order> GetOrder(const std::string& merchant_id, const std::string& order_id);
  // orders/get_return_window.sql: the order's return rules, share-locked; nullopt without it.
  std::optional<ReturnWindow> GetReturnWindow(const std::string& merchant_id,
                                              const std::string& order_id);
  // orders/list_orders.sql: a page of orders after `after_order_id`, by order id.
  std::vector<v1::Order> ListOrders(const std::string& merchant_id,
                                    const std::string& after_order_id, int limit);
  // orders/lock_order_for_sync.sql: the order row locked for a sync; nullopt for a new order.
  std::optional<OrderSyncLock> LockOrderForSync(const std::string& merchant_id,
                                                const std::string& order_id);
  // orders/lock_order_lines.sql: every line of the order, locked in line id order.
  std::vector<OrderLineRow> LockOrderLines(const std::string& merchant_id,
                                           const std::string& order_id);
  // orders/lock_order_payments.sql: the order's tenders in payment order, locked.
  std::vector<OrderPaymentRow> LockOrderPayments(const std::string& merchant_id,
                                                 const std::string& order_id);
  // orders/read_order_payments.sql: the same without locks.
  std::vector<OrderPaymentRow> ReadOrderPayments(const std::string& merchant_id,
                                                 const std::string& order_id);
  // orders/order_exists.sql: whether the merchant has the order.
  bool OrderExists(const std::string& merchant_id, const std::string& order_id);
  // orders/read_order_lines.sql: every line of the order, without locks.
  std::vector<OrderLineRow> ReadOrderLines(const std::string& merchant_id,
                                           const std::string& order_id);
  // orders/referenced_order_lines.sql: the ids of the order's lines that a return, claim or
  // parcel references.
  std::vector<std::string> ReferencedOrderLines(const std::string& merchant_id,
                                                const std::string& order_id);
  // orders/replace_order_lines.sql: makes the order's lines exactly `lines_json`.
  void ReplaceOrderLines(const std::string& merchant_id, const std::string& order_id,
                         const std::string& lines_json);
  // orders/replace_order_payments.sql: makes the order's tenders exactly `payments_json`.
  void ReplaceOrderPayments(const std::string& merchant_id, const std::string& order_id,
                            const std::string& payments_json);
  // orders/set_delivered_from_parcel.sql: whether the parcel's scan set the delivery time.
  bool SetDeliveredFromParcel(const std::string& merchant_id, const std::string& order_id,
                              int64_t delivered_time_us);
  // orders/set_gift_code.sql: the order's gift code, as its SHA-256.
  void SetGiftCode(const std::string& merchant_id, const std::string& order_id,
                   const std::string& gift_code_sha256);
  // orders/shipping_refund_taken.sql: whether a live return refunds the order's shipping.
  bool ShippingRefundTaken(const std::string& merchant_id, const std::string& order_id);
  // orders/shipped_quantities.sql: the units of each line in the order's own parcels so far.
  std::vector<ShippedQuantity> ShippedQuantities(const std::string& merchant_id,
                                                 const std::string& order_id);
  // orders/upsert_order.sql: the order when something changed; nullopt when nothing did.
  // `order_time_us` and `delivered_time_us` are decimal micros, or '' for none.
  std::optional<UpsertedOrder> UpsertOrder(
      const std::string& merchant_id, const std::string& order_id, const std::string& customer_id,
      const std::string& customer_email, const std::string& currency_code,
      const std::string& shipping_address_json, const std::string& order_time_us,
      const std::string& delivered_time_us, const std::string& content_hash,
      const std::string& tax_mode, const std::string& money_json, int64_t shipping_paid_minor,
      int64_t shipping_tax_minor);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
