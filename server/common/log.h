#pragma once

#include "absl/strings/string_view.h"

#include <nlohmann/json.hpp>

// Structured logs: one JSON object per line on stderr, with time, level and msg first.
// Callers must never put secrets, tokens, API keys or customer addresses into `fields`.
namespace returns::log {

void Info(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Warn(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Error(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

// The one line every call writes ("msg":"rpc"), built without a JSON library: it is on every
// call's path. An empty reason and a negative stream_seconds are left out; the ids are written
// (empty when unknown) when `identified`, that is when the call reached the service's handler.
struct RpcLine {
  absl::string_view method;
  absl::string_view status;
  double latency_ms = 0;
  absl::string_view reason;
  absl::string_view merchant_id;
  absl::string_view key_id;
  absl::string_view request_id;
  bool replayed = false;
  double stream_seconds = -1;
  bool identified = false;
};
void Rpc(const RpcLine& line);

// Routes libprotobuf's own messages (for example about a request with invalid UTF-8, which it
// would print as plain text on stderr) into this log, so every line stays one JSON object.
void InstallProtobufLogHandler();

}  // namespace returns::log
