#pragma once

// What every returnsctl command shares: global options, the services, calling with retries,
// printing.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "returns/v1/money.pb.h"
#include "returns_client.h"
#include "returns_facade.h"
#include "table.h"
#include "terminal_text.h"

namespace returns::client {

using google::protobuf::util::TimeUtil;

struct Globals {
  ClientOptions options;
  bool json = false;
  double timeout_seconds = 10;
};

// What a command's callback shares with main(): the global options, the request_id of a
// mutation, the exit code to set, and the services of the client library (returns_facade.h).
class CommandContext {
 public:
  Globals g;
  // --request-id; drawn by services() when not given.
  std::string request_id;
  int rc = 0;

  // The stubs of every service on one channel, made on the first call: after parsing, when the
  // options are final. That call also sets each call's deadline from --timeout and draws the
  // request_id when none was given, so a mutation reads request_id only after it. Exits with 2
  // when the channel cannot be made (a TLS file unreadable, plaintext refused).
  const Services& services();

 private:
  std::unique_ptr<Services> services_;
};

inline std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return TimeUtil::ToString(t).substr(0, 19) + "Z";
}

// "12.34 EUR", "-0.64 EUR" (a cost per return may be negative: fees above costs).
inline std::string Money(const v1::Money& m) {
  const int64_t amount = m.amount_minor();
  const uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  return absl::StrCat(amount < 0 ? "-" : "", magnitude / 100, ".", magnitude % 100 < 10 ? "0" : "",
                      magnitude % 100, " ", m.currency_code());
}

// Every string from the server printed outside a table (PrintTable escapes its cells) goes
// through S(): TerminalSafe (terminal_text.h), so a customer's file name or description cannot
// forge a line of this output, reorder it or drive the terminal.
inline std::string S(const std::string& text) { return TerminalSafe(text); }

inline std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// Options that take one of a few words, case-insensitively (validated again when parsed).
inline CLI::Validator OneOf(std::vector<std::string> words) {
  return CLI::IsMember(std::move(words), CLI::ignore_case);
}

inline void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  std::cout << text;
}

// Runs a call; mutations are retried with the same request_id while the answer says it is safe.
template <typename Call>
inline int Invoke(const Globals& g, bool mutation, Call call) {
  // The client library's retries (returns_client.h): the same request, so the same request_id,
  // on every attempt; a mutation is tried up to five times, a read up to three.
  RetryPolicy policy;
  policy.max_attempts = mutation ? 5 : 3;
  grpc::Status status = CallWithRetries(g.options, policy, call);
  if (!status.ok()) {
    // The message may quote what a client sent (a name, an id): escaped like any server text.
    std::cerr << "error: " << TerminalSafe(DescribeError(status)) << "\n";
    ErrorDetails details = ParseErrorDetails(status);
    if (!details.field.empty()) std::cerr << "field: " << TerminalSafe(details.field) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace returns::client
