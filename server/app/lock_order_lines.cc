#include "app/lock_order_lines.h"

#include <set>

namespace returns::app {

namespace {

std::vector<OrderLineSnapshot> Snapshots(const pqxx::result& rows) {
  std::vector<OrderLineSnapshot> lines;
  for (const auto& row : rows) {
    OrderLineSnapshot line;
    line.line_id = row["line_id"].as<std::string>();
    line.sku = row["sku"].as<std::string>();
    line.quantity = row["quantity"].as<int32_t>();
    line.returned_quantity = row["returned_quantity"].as<int32_t>();
    line.unit_price_minor = row["unit_price_minor"].as<int64_t>();
    line.claimed_quantity = row["claimed_quantity"].as<int32_t>();
    line.category = row["category"].as<std::string>();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::vector<OrderLineSnapshot> ReadOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id) {
  return Snapshots(tx.Exec("orders/read_order_lines", merchant_id, order_id));
}

std::vector<OrderLineSnapshot> LockOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id, bool with_references) {
  std::vector<OrderLineSnapshot> lines = Snapshots(tx.Exec("orders/lock_order_lines", merchant_id, order_id));
  if (with_references) {
    std::set<std::string> referenced;
    for (const auto& row : tx.Exec("orders/referenced_order_lines", merchant_id, order_id)) {
      referenced.insert(row[0].as<std::string>());
    }
    for (auto& line : lines) line.referenced = referenced.count(line.line_id) > 0;
  }
  return lines;
}

}  // namespace returns::app
