// returnsctl merchant create: a new merchant and its first ADMIN key (operator ADMIN keys).
#include <iostream>
#include <memory>
#include <string>

#include "returns/v1/admin_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

void CreateMerchant(const std::string& display_name, CommandContext& context) {
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::CreateMerchantRequest request;
  request.set_request_id(context.request_id);
  request.set_display_name(display_name);
  v1::CreateMerchantResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return admin.CreateMerchant(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "merchant_id: " << response.merchant_id()
            << "\nadmin_key_id: " << response.admin_key().key_id()
            << "\nadmin_key: " << response.admin_key_secret()
            << "\n(store the key now: it cannot be shown again)\n";
}

}  // namespace

void AddMerchantCommands(CLI::App& app, CommandContext& context) {
  // Option values live as long as the CLI; callbacks run after parsing.
  auto display_name = std::make_shared<std::string>();
  auto* merchant =
      app.add_subcommand("merchant", "merchants (operator ADMIN keys)")->require_subcommand(1);
  auto* create = merchant->add_subcommand("create", "create a merchant and its first ADMIN key");
  create->add_option("--name", *display_name)->required();
  create->callback([display_name, &context] { CreateMerchant(*display_name, context); });
}

}  // namespace returns::client
