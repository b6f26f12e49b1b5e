#include "app/orders/lock_order_lines.h"

#include <set>

#include "storage/order_store.h"

namespace returns::app {

namespace {

std::vector<OrderLineSnapshot> Snapshots(std::vector<storage::OrderLineRow> rows) {
  std::vector<OrderLineSnapshot> lines;
  for (storage::OrderLineRow& row : rows) {
    OrderLineSnapshot line;
    line.line_id = std::move(row.line_id);
    line.sku = std::move(row.sku);
    line.quantity = row.quantity;
    line.returned_quantity = row.returned_quantity;
    line.unit_price_minor = row.unit_price_minor;
    line.claimed_quantity = row.claimed_quantity;
    line.category = std::move(row.category);
    line.paid_minor = row.paid_minor;
    line.tax_minor = row.tax_minor;
    line.taken_paid_minor = row.taken_paid_minor;
    line.taken_tax_minor = row.taken_tax_minor;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::vector<OrderLineSnapshot> ReadOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id) {
  return Snapshots(storage::OrderStore(tx).ReadOrderLines(merchant_id, order_id));
}

std::vector<OrderLineSnapshot> LockOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id, bool with_references) {
  storage::OrderStore orders(tx);
  std::vector<OrderLineSnapshot> lines = Snapshots(orders.LockOrderLines(merchant_id, order_id));
  if (with_references) {
    std::set<std::string> referenced;
    for (std::string& line_id : orders.ReferencedOrderLines(merchant_id, order_id)) {
      referenced.insert(std::move(line_id));
    }
    for (auto& line : lines) line.referenced = referenced.count(line.line_id) > 0;
  }
  return lines;
}

}  // namespace returns::app
