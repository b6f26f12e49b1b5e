#include "app/lock_order_lines.h"

namespace returns::app {

std::vector<OrderLineSnapshot> LockOrderLines(storage::Tx& tx, const std::string& merchant_id,
                                              const std::string& order_id) {
  std::vector<OrderLineSnapshot> lines;
  for (const auto& row : tx.Exec("orders/lock_order_lines", merchant_id, order_id)) {
    lines.push_back(OrderLineSnapshot{row[0].as<std::string>(), row[1].as<std::string>(),
                                      row[2].as<int32_t>(), row[3].as<int32_t>(),
                                      row[4].as<bool>()});
  }
  return lines;
}

}  // namespace returns::app
