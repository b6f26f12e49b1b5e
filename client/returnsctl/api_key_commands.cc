// returnsctl key create | list | revoke: the merchant's API keys (ADMIN keys).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/enum_text.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct KeyValues {
  std::string role, display_name, key_id;
};

void CreateKey(const KeyValues& v, CommandContext& context) {
  const std::optional<v1::ApiKeyRole> role = ParseEnum<v1::ApiKeyRole>(v.role);
  if (!role.has_value()) {
    std::cerr << "error: --role is STOREFRONT, SUPPORT, ADMIN or CARRIER\n";
    context.rc = 2;
    return;
  }
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::CreateApiKeyRequest request;
  request.set_request_id(context.request_id);
  request.set_role(*role);
  request.set_display_name(v.display_name);
  v1::CreateApiKeyResponse response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return admin.CreateApiKey(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "key_id: " << response.api_key().key_id() << "\nrole: " << EnumText(*role)
            << "\nkey: " << response.secret()
            << "\n(store the key now: it cannot be shown again)\n";
}

void ListKeys(CommandContext& context) {
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::ListApiKeysRequest request;
  request.set_page_size(200);
  v1::ListApiKeysResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return admin.ListApiKeys(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& k : response.api_keys()) {
    rows.push_back({k.key_id(), EnumText(k.role()), k.display_name(), Time(k.create_time()),
                    Time(k.revoke_time())});
  }
  PrintTable({"KEY_ID", "ROLE", "NAME", "CREATED", "REVOKED"}, rows);
}

void RevokeKey(const KeyValues& v, CommandContext& context) {
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::RevokeApiKeyRequest request;
  request.set_request_id(context.request_id);
  request.set_key_id(v.key_id);
  v1::ApiKey response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return admin.RevokeApiKey(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "revoked " << response.key_id() << " at " << Time(response.revoke_time()) << "\n";
}

}  // namespace

void AddApiKeyCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<KeyValues>();
  auto* key = app.add_subcommand("key", "create, list and revoke API keys (ADMIN keys)")
                  ->require_subcommand(1);

  auto* create = key->add_subcommand("create", "create an API key; its secret is shown once");
  create->add_option("--role", v->role, "STOREFRONT, SUPPORT, ADMIN or CARRIER")->required();
  create->add_option("--name", v->display_name, "a name to tell keys apart");
  create->callback([v, &context] { CreateKey(*v, context); });

  auto* list = key->add_subcommand("list", "list API keys (never their secrets)");
  list->callback([&context] { ListKeys(context); });

  auto* revoke = key->add_subcommand("revoke", "revoke an API key at once, on every replica");
  revoke->add_option("key_id", v->key_id)->required();
  revoke->callback([v, &context] { RevokeKey(*v, context); });
}

}  // namespace returns::client
