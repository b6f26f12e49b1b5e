// returnsctl: the command line for support agents, operators and scripts. One subcommand per
// task; human-readable tables by default, --json for scripts (proto3 JSON of the response).
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// The environment gives the defaults; a flag overrides it.
void ReadEnvironment(ClientOptions& options) {
  if (const char* addr = std::getenv("RETURNS_ADDR")) options.address = addr;
  if (const char* key = std::getenv("RETURNS_API_KEY")) options.api_key = key;
  if (const char* ca = std::getenv("RETURNS_TLS_CA")) options.tls_ca_file = ca;
  if (const char* cert = std::getenv("RETURNS_TLS_CERT")) options.tls_cert_file = cert;
  if (const char* key = std::getenv("RETURNS_TLS_KEY")) options.tls_key_file = key;
  if (const char* plain = std::getenv("RETURNS_ALLOW_INSECURE_PLAINTEXT")) {
    options.allow_insecure_plaintext = std::string(plain) == "1";
  }
}

void AddGlobalOptions(CLI::App& cli, CommandContext& context) {
  Globals& g = context.g;
  cli.add_option("--addr", g.options.address, "server address (RETURNS_ADDR)")
      ->capture_default_str();
  cli.add_option("--api-key", g.options.api_key, "API key rk_... (RETURNS_API_KEY)");
  cli.add_option("--tls-ca", g.options.tls_ca_file,
                 "CA of the server's certificate: use TLS (RETURNS_TLS_CA)");
  cli.add_option("--tls-cert", g.options.tls_cert_file,
                 "client certificate for mutual TLS (RETURNS_TLS_CERT)");
  cli.add_option("--tls-key", g.options.tls_key_file,
                 "client key for mutual TLS (RETURNS_TLS_KEY)");
  cli.add_option("--tls-server-name", g.options.tls_server_name,
                 "name the server certificate carries");
  cli.add_flag("--allow-insecure-plaintext", g.options.allow_insecure_plaintext,
               "send the API key without TLS to an address off this machine "
               "(RETURNS_ALLOW_INSECURE_PLAINTEXT=1)");
  cli.add_option("--timeout", g.timeout_seconds, "seconds to wait for each call")
      ->capture_default_str();
  cli.add_flag("--json", g.json, "print the response as JSON");
  cli.add_option("--request-id", context.request_id, "request_id of a mutation (default: random)");
}

// Global options, every command, parsing; the exit code of the command that ran (CLI11's for a
// command line it refused).
int Run(int argc, char** argv) {
  CommandContext context;
  ReadEnvironment(context.g.options);

  CLI::App cli{"returnsctl: orders, returns and timelines of the returns service"};
  cli.fallthrough();
  cli.require_subcommand(1);
  AddGlobalOptions(cli, context);

  AddOrderCommands(cli, context);
  AddReturnCommands(cli, context);
  AddTimelineCommands(cli, context);
  AddExchangeTokenCommands(cli, context);
  AddEventCommands(cli, context);
  AddInventoryCommands(cli, context);
  AddApiKeyCommands(cli, context);
  AddMerchantCommands(cli, context);
  AddLabelCommands(cli, context);
  AddShipmentCommands(cli, context);
  AddCarrierCommands(cli, context);
  AddSandboxCommands(cli, context);
  AddJobCommands(cli, context);
  AddClaimCommands(cli, context);
  AddMoneyCommands(cli, context);
  AddWebhookCommands(cli, context);
  AddEvidenceCommands(cli, context);
  AddDecisionCommands(cli, context);
  AddPolicyCommands(cli, context);
  AddKpiCommands(cli, context);
  AddCallCommand(cli, context);
  AddCompletionCommand(cli, context);  // last: it completes every command added before it

  CLI11_PARSE(cli, argc, argv);
  return context.rc;
}

}  // namespace
}  // namespace returns::client

int main(int argc, char** argv) { return returns::client::Run(argc, argv); }
