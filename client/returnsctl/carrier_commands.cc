// returnsctl carrier account set | list | delete: the merchant's accounts at carriers (EasyPost;
// docs/integrations.md, "Carrier accounts"). Setting and deleting an account is an ADMIN key's,
// listing a SUPPORT key's too. Credentials (the API key, the webhook secret) are read from a
// file or standard input, never from a flag's value, so they stay out of shell history and of
// the process list; the service seals them and never answers them.
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// What the service takes of a credential (docs/api.md, "Carrier accounts").
constexpr size_t kMaxSecretBytes = 256;
// What is read of a credential's file or stdin at most: a file much larger is not a key.
constexpr size_t kMaxSecretRead = 64 * 1024;

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct CarrierValues {
  std::string carrier, api_key_file, webhook_secret_file;
  bool api_key_stdin = false;
  std::string preferred_carrier, preferred_service, label_format;
  std::string name, line1, line2, city, region, postal_code, country;
  double weight_oz = 0, length_in = 0, width_in = 0, height_in = 0;
};

// Reads one line from a terminal without echoing it, after a prompt on stderr.
bool ReadFromTerminal(const std::string& what, std::string* text) {
  std::cerr << what << " (not echoed): " << std::flush;
  termios saved{};
  const bool have_terminal = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (have_terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool read = static_cast<bool>(std::getline(std::cin, *text));
  if (have_terminal) (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << "\n";
  return read;
}

// Reads at most kMaxSecretRead + 1 bytes of `in` into `text`.
void ReadBounded(std::istream& in, std::string* text) {
  text->assign(kMaxSecretRead + 1, '\0');
  in.read(text->data(), static_cast<std::streamsize>(text->size()));
  text->resize(static_cast<size_t>(in.gcount()));
}

// Reads a credential from the file `path`, or from stdin when `path` is empty: the file's one
// line, without the line break and blanks around it. `what` names it in messages; the value
// itself is never printed. False (with a message on stderr) when it cannot be read or is not one
// word of printable ASCII of at most kMaxSecretBytes (what the service would refuse anyway).
bool ReadSecret(const std::string& path, const std::string& what, std::string* secret) {
  const std::string source = path.empty() ? "standard input" : path;
  std::string text;
  if (path.empty() && isatty(STDIN_FILENO) != 0) {
    if (!ReadFromTerminal(what, &text)) {
      std::cerr << "error: no " << what << " on standard input\n";
      return false;
    }
  } else if (path.empty()) {
    ReadBounded(std::cin, &text);
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      std::cerr << "error: cannot read " << S(path) << "\n";
      return false;
    }
    ReadBounded(file, &text);
  }
  if (text.size() > kMaxSecretRead) {
    std::cerr << "error: " << S(source) << " is too large to hold the " << what << "\n";
    return false;
  }
  *secret = std::string(absl::StripAsciiWhitespace(text));
  if (secret->empty()) {
    std::cerr << "error: " << S(source) << " holds no " << what << "\n";
    return false;
  }
  for (char c : *secret) {
    // What the service takes: printable ASCII, no blanks or control characters inside.
    if (c <= ' ' || c > '~') {
      std::cerr << "error: the " << what << " in " << S(source)
                << " is not one word of printable ASCII (one line, no spaces)\n";
      secret->clear();
      return false;
    }
  }
  if (secret->size() > kMaxSecretBytes) {
    std::cerr << "error: the " << what << " in " << S(source) << " is longer than "
              << kMaxSecretBytes << " bytes\n";
    secret->clear();
    return false;
  }
  return true;
}

// "<carrier> <service>", "<carrier>, lowest rate", "lowest rate".
std::string Purchase(const v1::CarrierAccount& a) {
  if (a.preferred_carrier().empty() && a.preferred_service().empty()) return "lowest rate";
  if (a.preferred_service().empty()) return absl::StrCat(a.preferred_carrier(), ", lowest rate");
  if (a.preferred_carrier().empty()) return absl::StrCat("any carrier's ", a.preferred_service());
  return absl::StrCat(a.preferred_carrier(), " ", a.preferred_service());
}

std::string AddressText(const v1::Address& a) {
  std::vector<std::string> parts;
  for (const std::string* part : {&a.name(), &a.line1(), &a.line2(), &a.city()}) {
    if (!part->empty()) parts.push_back(*part);
  }
  const std::string region_code =
      absl::StrJoin(std::vector<std::string>{a.region(), a.postal_code()}, " ");
  if (!absl::StripAsciiWhitespace(region_code).empty()) {
    parts.emplace_back(absl::StripAsciiWhitespace(region_code));
  }
  if (!a.country_code().empty()) parts.push_back(a.country_code());
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

std::string ParcelText(const v1::Parcel& p) {
  std::string text = absl::StrCat(p.weight_oz(), " oz");
  if (p.length_in() != 0 || p.width_in() != 0 || p.height_in() != 0) {
    absl::StrAppend(&text, ", ", p.length_in(), " x ", p.width_in(), " x ", p.height_in(), " in");
  }
  return text;
}

std::string KeyHint(const v1::CarrierAccount& a) {
  return a.api_key_hint().empty() ? "-" : absl::StrCat("...", a.api_key_hint());
}

void PrintAccount(const v1::CarrierAccount& a) {
  std::cout << "carrier account " << S(a.carrier()) << "\n"
            << "  api key " << S(KeyHint(a)) << "  webhook secret "
            << (a.has_webhook_secret() ? "set" : "not set") << "\n"
            << "  buys " << S(Purchase(a)) << "  label format " << S(OrDash(a.label_format()))
            << "\n"
            << "  returns go to " << S(AddressText(a.return_address())) << "\n"
            << "  parcel " << S(ParcelText(a.parcel())) << "\n";
  if (!a.webhook_path().empty()) {
    std::cout << "  webhook path " << S(a.webhook_path()) << " (on returnsd's --http_listen)\n";
  }
  std::cout << "  created " << Time(a.create_time()) << "  updated " << Time(a.update_time())
            << "\n";
}

void PrintAccounts(const v1::ListCarrierAccountsResponse& response) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : response.accounts()) {
    rows.push_back({a.carrier(), KeyHint(a), a.has_webhook_secret() ? "set" : "-", Purchase(a),
                    OrDash(a.label_format()), AddressText(a.return_address()),
                    ParcelText(a.parcel()), OrDash(a.webhook_path()), Time(a.update_time())});
  }
  PrintTable({"CARRIER", "API KEY", "WEBHOOK SECRET", "BUYS", "LABEL", "RETURN ADDRESS", "PARCEL",
              "WEBHOOK PATH", "UPDATED"},
             rows);
}

void SetAccount(const CarrierValues& v, CommandContext& context) {
  v1::SetCarrierAccountRequest request;
  v1::CarrierAccount& account = *request.mutable_account();
  account.set_carrier(v.carrier);
  // No key keeps the stored one (the first set of an account needs one: the service says so).
  if (v.api_key_stdin || !v.api_key_file.empty()) {
    if (!ReadSecret(v.api_key_stdin ? "" : v.api_key_file, "API key", account.mutable_api_key())) {
      context.rc = 2;
      return;
    }
  }
  if (!v.webhook_secret_file.empty() &&
      !ReadSecret(v.webhook_secret_file, "webhook secret", account.mutable_webhook_secret())) {
    context.rc = 2;
    return;
  }
  account.set_preferred_carrier(v.preferred_carrier);
  account.set_preferred_service(v.preferred_service);
  account.set_label_format(absl::AsciiStrToUpper(v.label_format));
  v1::Address& to = *account.mutable_return_address();
  to.set_name(v.name);
  to.set_line1(v.line1);
  to.set_line2(v.line2);
  to.set_city(v.city);
  to.set_region(v.region);
  to.set_postal_code(v.postal_code);
  to.set_country_code(absl::AsciiStrToUpper(v.country));
  v1::Parcel& parcel = *account.mutable_parcel();
  parcel.set_weight_oz(v.weight_oz);
  parcel.set_length_in(v.length_in);
  parcel.set_width_in(v.width_in);
  parcel.set_height_in(v.height_in);

  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  request.set_request_id(context.request_id);
  v1::CarrierAccount response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return logistics.SetCarrierAccount(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintAccount(response);
}

void ListAccounts(CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::ListCarrierAccountsRequest request;
  v1::ListCarrierAccountsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return logistics.ListCarrierAccounts(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintAccounts(response);
}

void DeleteAccount(const CarrierValues& v, CommandContext& context) {
  v1::LogisticsService::Stub& logistics = *context.services().logistics;
  v1::DeleteCarrierAccountRequest request;
  request.set_request_id(context.request_id);
  request.set_carrier(v.carrier);
  v1::CarrierAccount response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return logistics.DeleteCarrierAccount(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "deleted the carrier account at " << S(response.carrier())
            << " and its credentials: the merchant's labels can no longer be bought there\n";
}

}  // namespace

void AddCarrierCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<CarrierValues>();
  auto* carrier = app.add_subcommand("carrier", "the merchant's accounts at carriers");
  carrier->require_subcommand(1);
  auto* account = carrier->add_subcommand(
      "account", "the merchant's account at a carrier: its API key, webhook secret and settings");
  account->require_subcommand(1);

  auto* set = account->add_subcommand(
      "set",
      "create or replace the account at a carrier (ADMIN key). The API key and webhook secret "
      "are read from a file or standard input, never from a flag's value, so they stay out of "
      "shell history and the process list; the service keeps them sealed and never shows them "
      "again (only the API key's last four characters)");
  set->add_option("carrier", v->carrier, "the carrier's code, e.g. easypost")->required();
  auto* key_file = set->add_option(
      "--api-key-file", v->api_key_file,
      "a file holding the API key alone (one line); required the first time; without it the "
      "stored key is kept, a new one rotates it");
  auto* key_stdin = set->add_flag("--api-key-stdin", v->api_key_stdin,
                                  "read the API key from standard input (prompted for, not "
                                  "echoed, on a terminal)");
  key_file->excludes(key_stdin);
  set->add_option("--webhook-secret-file", v->webhook_secret_file,
                  "a file holding the secret the carrier signs its webhooks with (one line); "
                  "without it the stored one is kept");
  set->add_option("--preferred-carrier", v->preferred_carrier,
                  "the carrier whose rate to buy (default: the lowest rate)");
  set->add_option("--preferred-service", v->preferred_service,
                  "the carrier's service to buy (default: the lowest rate)");
  set->add_option("--label-format", v->label_format, "PDF (the default), ZPL or PNG")
      ->check(OneOf({"PDF", "ZPL", "PNG"}));
  set->add_option("--return-name", v->name, "where returns go: the recipient's name")->required();
  set->add_option("--return-line1", v->line1, "the first address line")->required();
  set->add_option("--return-line2", v->line2, "the second address line");
  set->add_option("--return-city", v->city)->required();
  set->add_option("--return-region", v->region, "state, province or region");
  set->add_option("--return-postal-code", v->postal_code)->required();
  set->add_option("--return-country", v->country, "ISO 3166-1 alpha-2 code, e.g. US")->required();
  set->add_option("--weight-oz", v->weight_oz,
                  "the parcel the rates are asked for: its weight in ounces (at most 2400)")
      ->required()
      ->check(CLI::PositiveNumber);
  auto* length = set->add_option("--length-in", v->length_in, "inches; all three or none")
                     ->check(CLI::PositiveNumber);
  auto* width = set->add_option("--width-in", v->width_in)->check(CLI::PositiveNumber);
  auto* height = set->add_option("--height-in", v->height_in)->check(CLI::PositiveNumber);
  length->needs(width, height);
  width->needs(length, height);
  height->needs(length, width);
  set->callback([v, &context] { SetAccount(*v, context); });

  auto* list = account->add_subcommand(
      "list", "list the merchant's carrier accounts (never their credentials)");
  list->callback([&context] { ListAccounts(context); });

  auto* del = account->add_subcommand(
      "delete", "delete the account at a carrier and its credentials (ADMIN key)");
  del->add_option("carrier", v->carrier, "the carrier's code")->required();
  del->callback([v, &context] { DeleteAccount(*v, context); });
}

}  // namespace returns::client
