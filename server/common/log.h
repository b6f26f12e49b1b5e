#pragma once

#include "absl/strings/string_view.h"

#include <nlohmann/json.hpp>

// Structured logs: one JSON object per line on stderr, with time, level and msg first.
// Callers must never put secrets, tokens, API keys or customer addresses into `fields`.
namespace returns::log {

void Info(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Warn(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
void Error(absl::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

// Routes libprotobuf's own messages (for example about a request with invalid UTF-8, which it
// would print as plain text on stderr) into this log, so every line stays one JSON object.
void InstallProtobufLogHandler();

}  // namespace returns::log
