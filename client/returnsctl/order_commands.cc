// returnsctl order upsert | import | get | list | ship: the storefront's orders, one at a time or
// in bulk, and the order's own parcel (which claims are about).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/enum_text.h"
#include "google/protobuf/util/json_util.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "returnsctl/claim_line.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct OrderValues {
  std::string file, order_id, page_token;
  int page_size = 0;
  // ship
  std::string carrier, tracking, promise;
  std::vector<std::string> lines;
};

// An unset Money has no currency; "0.00 " would read as a real zero.
std::string MoneyOrDash(const v1::Money& m) { return m.currency_code().empty() ? "-" : Money(m); }

std::string TaxModeText(v1::TaxMode mode) {
  return mode == v1::TAX_MODE_UNSPECIFIED ? "none" : EnumText(mode);
}

// The sum of tax lines (all in the order's currency), as a Money in `currency`.
v1::Money TaxSum(const google::protobuf::RepeatedPtrField<v1::TaxLine>& tax_lines,
                 const std::string& currency) {
  int64_t minor = 0;
  for (const auto& t : tax_lines) minor += t.amount().amount_minor();
  v1::Money sum;
  sum.set_currency_code(currency);
  sum.set_amount_minor(minor);
  return sum;
}

// The order's money as paid (docs/money.md): tax mode, order discount, shipping, total and the
// tenders with what was refunded to them. Orders synced without any of it print nothing here.
void PrintOrderMoney(const v1::Order& order) {
  if (!order.has_total() && order.tax_mode() == v1::TAX_MODE_UNSPECIFIED &&
      !order.has_order_discount() && !order.has_shipping() && order.payments_size() == 0) {
    return;
  }
  std::cout << "tax mode " << TaxModeText(order.tax_mode()) << "  order discount "
            << MoneyOrDash(order.order_discount());
  if (order.discount_codes_size() > 0) {
    std::cout << " (" << S(absl::StrJoin(order.discount_codes(), ", ")) << ")";
  }
  std::cout << "  shipping " << MoneyOrDash(order.shipping());
  if (order.shipping_tax_lines_size() > 0) {
    std::cout << " (tax " << Money(TaxSum(order.shipping_tax_lines(), order.currency_code()))
              << (order.tax_mode() == v1::TAX_MODE_INCLUSIVE ? " included)" : " added)");
  }
  std::cout << "  total " << MoneyOrDash(order.total()) << "\n";
  if (order.payments_size() == 0) return;
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : order.payments()) {
    rows.push_back({p.payment_id(), EnumText(p.kind()), MoneyOrDash(p.amount()),
                    MoneyOrDash(p.refunded()), MoneyOrDash(p.refundable()), OrDash(p.reference())});
  }
  std::cout << "payments:\n";
  PrintTable({"PAYMENT", "KIND", "AMOUNT", "REFUNDED", "REFUNDABLE", "REFERENCE"}, rows);
}

void PrintOrder(const v1::Order& order) {
  std::cout << "order " << order.order_id() << "  customer " << order.customer_id()
            << "  delivered " << Time(order.delivered_time()) << "  etag " << order.etag() << "\n";
  // What each line paid, when the server says it (every line or none): its discounts (its own
  // and its share of the order's), the tax in what it paid, and what it paid.
  bool paid = false;
  for (const auto& l : order.lines()) paid = paid || l.has_paid_total() || l.has_tax_total();
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : order.lines()) {
    rows.push_back({l.line_id(), l.sku(), l.title(), absl::StrCat(l.quantity()),
                    absl::StrCat(l.returned_quantity()), Money(l.unit_price())});
    if (paid) {
      v1::Money discount;
      discount.set_currency_code(order.currency_code());
      discount.set_amount_minor(l.line_discount().amount_minor() +
                                l.order_discount_share().amount_minor());
      rows.back().push_back(Money(discount));
      rows.back().push_back(MoneyOrDash(l.tax_total()));
      rows.back().push_back(MoneyOrDash(l.paid_total()));
    }
  }
  std::vector<std::string> header = {"LINE", "SKU", "TITLE", "QTY", "RETURNED", "UNIT PRICE"};
  if (paid) header.insert(header.end(), {"DISCOUNT", "TAX", "PAID"});
  PrintTable(header, rows);
  PrintOrderMoney(order);
  // The code itself is never returned (the server keeps its hash): only that there is one.
  if (order.has_gift_code()) std::cout << "gift code: set\n";
}

void UpsertOrder(const OrderValues& v, CommandContext& context) {
  std::stringstream text;
  if (v.file == "-") {
    text << std::cin.rdbuf();
  } else {
    text << std::ifstream(v.file).rdbuf();
  }
  v1::UpsertOrderRequest request;
  if (!google::protobuf::util::JsonStringToMessage(text.str(), request.mutable_order()).ok()) {
    std::cerr << "error: " << v.file << " is not an Order in proto3 JSON\n";
    context.rc = 2;
    return;
  }
  v1::OrderService::Stub& orders = *context.services().orders;
  request.set_request_id(context.request_id);
  v1::Order response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return orders.UpsertOrder(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintOrder(response);
}

// Many orders, one JSON Order per line. With --request-id R, line N's upsert has the request_id
// R-N, so rerunning the same file with the same R (after an interruption) replays what was done;
// without it each run draws fresh ids (an upsert of unchanged content changes nothing anyway).
void ImportOrders(const OrderValues& v, CommandContext& context) {
  std::ifstream file_stream;
  if (v.file != "-") file_stream.open(v.file);
  std::istream& in = v.file == "-" ? std::cin : file_stream;
  // --request-id as given (services() draws one otherwise)
  const std::string prefix = context.request_id;
  if (!in) {
    std::cerr << "error: cannot read " << v.file << "\n";
    context.rc = 2;
    return;
  }
  v1::OrderService::Stub& orders = *context.services().orders;
  const bool progress = isatty(STDERR_FILENO);
  int64_t line_number = 0, synced = 0, failed = 0;
  absl::Time next_progress = absl::Now();
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    v1::UpsertOrderRequest request;
    if (!google::protobuf::util::JsonStringToMessage(line, request.mutable_order()).ok()) {
      std::cerr << "\nline " << line_number << ": not an Order in proto3 JSON\n";
      ++failed;
      continue;
    }
    request.set_request_id(prefix.empty() ? NewRequestId()
                                          : absl::StrCat(prefix, "-", line_number));
    v1::Order response;
    const int rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
      return orders.UpsertOrder(c, request, &response);
    });
    if (rc != 0) {
      std::cerr << "line " << line_number << ": order " << request.order().order_id()
                << " not synced\n";
      ++failed;
    } else {
      ++synced;
    }
    if (progress && absl::Now() >= next_progress) {
      std::cerr << "\r[" << synced << " synced, " << failed << " failed, line " << line_number
                << "]" << std::flush;
      next_progress = absl::Now() + absl::Milliseconds(500);
    }
  }
  if (progress) std::cerr << "\n";
  std::cout << synced << " order(s) synced, " << failed << " failed\n";
  if (failed > 0) context.rc = 1;
}

void GetOrder(const OrderValues& v, CommandContext& context) {
  v1::OrderService::Stub& orders = *context.services().orders;
  v1::GetOrderRequest request;
  request.set_order_id(v.order_id);
  v1::Order response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return orders.GetOrder(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintOrder(response);
}

void ListOrders(const OrderValues& v, CommandContext& context) {
  v1::OrderService::Stub& orders = *context.services().orders;
  v1::ListOrdersRequest request;
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::ListOrdersResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return orders.ListOrders(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : response.orders()) {
    rows.push_back(
        {o.order_id(), o.customer_id(), absl::StrCat(o.lines_size()), Time(o.delivered_time())});
  }
  PrintTable({"ORDER", "CUSTOMER", "LINES", "DELIVERED"}, rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

// `order ship`: attaches a parcel to an order already synced. UpsertOrder takes the whole order,
// so the order is read first and sent back unchanged with the parcel (a no-op for the order).
void ShipOrder(const OrderValues& v, CommandContext& context) {
  v1::UpsertOrderRequest request;
  v1::OrderShipment* parcel = request.add_shipments();
  parcel->set_carrier(v.carrier);
  parcel->set_tracking_number(v.tracking);
  if (!TimeUtil::FromString(v.promise, parcel->mutable_promise_time())) {
    std::cerr << "error: --promise is an RFC 3339 time such as 2026-11-20T12:00:00Z\n";
    context.rc = 2;
    return;
  }
  for (const auto& text : v.lines) {
    v1::ClaimLine line;
    std::string error;
    if (!ParseClaimLine(text, &line, &error)) {
      std::cerr << "error: " << error << "\n";
      context.rc = 2;
      return;
    }
    v1::ShipmentLine* out = parcel->add_lines();
    out->set_order_line_id(line.order_line_id());
    out->set_quantity(line.quantity());
  }
  v1::OrderService::Stub& orders = *context.services().orders;
  v1::GetOrderRequest get;
  get.set_order_id(v.order_id);
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return orders.GetOrder(c, get, request.mutable_order());
  });
  if (context.rc != 0) return;
  request.set_request_id(context.request_id);
  v1::Order response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return orders.UpsertOrder(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) {
    PrintJson(response);
    return;
  }
  std::cout << "parcel " << S(v.carrier) << " " << S(v.tracking) << " attached to order "
            << S(v.order_id) << " (returnsctl shipments list --order " << S(v.order_id) << ")\n";
}

}  // namespace

void AddOrderCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<OrderValues>();
  auto* order = app.add_subcommand("order", "sync and read orders")->require_subcommand(1);

  auto* upsert = order->add_subcommand("upsert", "create or replace an order from a JSON file");
  upsert->add_option("--file", v->file, "the Order as proto3 JSON ('-' for stdin)")->required();
  upsert->callback([v, &context] { UpsertOrder(*v, context); });

  auto* import =
      order->add_subcommand("import", "bulk-sync orders from a file of JSON Orders, one per line");
  import->add_option("--file", v->file, "JSON lines, one Order each ('-' for stdin)")->required();
  import->callback([v, &context] { ImportOrders(*v, context);
});

auto* get = order->add_subcommand("get", "show an order");
get->add_option("order_id", v->order_id)->required();
get->callback([v, &context] { GetOrder(*v, context); });

auto* list = order->add_subcommand("list", "list orders");
list->add_option("--page-size", v->page_size);
list->add_option("--page-token", v->page_token);
list->callback([v, &context] { ListOrders(*v, context); });

auto* ship = order->add_subcommand(
    "ship", "attach the order's parcel: carrier, tracking, promised delivery, lines");
ship->add_option("--order", v->order_id, "the order")->required();
ship->add_option("--carrier", v->carrier, "the carrier's code, e.g. sandbox")->required();
ship->add_option("--tracking", v->tracking, "the tracking number")->required();
ship->add_option("--promise", v->promise, "promised delivery, RFC 3339")->required();
ship->add_option("--line", v->lines, "LINE_ID:QUANTITY in the parcel (repeatable)")->required();
ship->callback([v, &context] { ShipOrder(*v, context); });
}  // namespace returns::client

}  // namespace returns::client
