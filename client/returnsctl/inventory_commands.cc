// returnsctl inventory set | get | list: stock levels (and prices, sizes) for instant exchanges.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct InventoryValues {
  std::string sku, currency = "EUR", product_id, size, page_token;
  int on_hand = 0, size_rank = 0;
  int64_t price_minor = 0;
};

template <typename Levels>
void PrintLevels(const Levels& levels) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : levels) {
    rows.push_back({l.sku(), absl::StrCat(l.on_hand()), absl::StrCat(l.reserved()),
                    absl::StrCat(l.available()), Money(l.unit_price()), l.product_id(), l.size()});
  }
  PrintTable({"SKU", "ON HAND", "RESERVED", "AVAILABLE", "UNIT PRICE", "PRODUCT", "SIZE"}, rows);
}

void SetLevel(const InventoryValues& v, CommandContext& context) {
  v1::InventoryService::Stub& inventory = *context.services().inventory;
  v1::SetInventoryLevelsRequest request;
  request.set_request_id(context.request_id);
  auto* level = request.add_levels();
  level->set_sku(v.sku);
  level->set_on_hand(v.on_hand);
  level->mutable_unit_price()->set_currency_code(v.currency);
  level->mutable_unit_price()->set_amount_minor(v.price_minor);
  level->set_product_id(v.product_id);
  level->set_size(v.size);
  level->set_size_rank(v.size_rank);
  v1::SetInventoryLevelsResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return inventory.SetInventoryLevels(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintLevels(response.levels());
}

void GetLevel(const InventoryValues& v, CommandContext& context) {
  v1::InventoryService::Stub& inventory = *context.services().inventory;
  v1::GetInventoryLevelRequest request;
  request.set_sku(v.sku);
  v1::InventoryLevel response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return inventory.GetInventoryLevel(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintLevels(std::vector<v1::InventoryLevel>{response});
}

void ListLevels(const InventoryValues& v, CommandContext& context) {
  v1::InventoryService::Stub& inventory = *context.services().inventory;
  v1::ListInventoryLevelsRequest request;
  request.set_page_size(200);
  request.set_page_token(v.page_token);
  v1::ListInventoryLevelsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return inventory.ListInventoryLevels(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  PrintLevels(response.levels());
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

}  // namespace

void AddInventoryCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<InventoryValues>();
  auto* inventory =
      app.add_subcommand("inventory", "stock levels for instant exchanges")->require_subcommand(1);

  auto* set = inventory->add_subcommand("set", "set one SKU's stock and price");
  set->add_option("--sku", v->sku)->required();
  set->add_option("--on-hand", v->on_hand)->required();
  set->add_option("--price-minor", v->price_minor, "unit price in minor units")->required();
  set->add_option("--currency", v->currency)->capture_default_str();
  set->add_option("--product", v->product_id,
                  "the product the SKU is a variant of (kept when omitted)");
  set->add_option("--size", v->size, "the variant's size, e.g. M or 42 (kept when omitted)");
  set->add_option("--size-rank", v->size_rank,
                  "its place in the size order, for sizes not in XXS..3XL or numbers");
  set->callback([v, &context] { SetLevel(*v, context); });

  auto* get = inventory->add_subcommand("get", "show one SKU's stock");
  get->add_option("sku", v->sku)->required();
  get->callback([v, &context] { GetLevel(*v, context); });

  auto* list = inventory->add_subcommand("list", "list stock levels");
  list->add_option("--page-token", v->page_token);
  list->callback([v, &context] { ListLevels(*v, context); });
}

}  // namespace returns::client
