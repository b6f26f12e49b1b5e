#include "common/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"

namespace returns::log {
namespace {

absl::Mutex g_write_mutex;

void Write(absl::string_view level, absl::string_view msg, const nlohmann::json& fields) {
  nlohmann::ordered_json line;
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = level;
  line["msg"] = msg;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  // Replace invalid UTF-8 rather than throw: a log line must never crash a request.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  absl::MutexLock lock(&g_write_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// "2026-11-29T11:58:03.123456Z", formatting the seconds once per second and thread.
void AppendTime(std::string* out) {
  thread_local int64_t formatted_second = -1;
  thread_local std::string prefix;
  const absl::Time now = absl::Now();
  const int64_t micros = absl::ToUnixMicros(now);
  const int64_t second = micros / 1000000;
  if (second != formatted_second) {
    prefix =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S.", absl::FromUnixSeconds(second), absl::UTCTimeZone());
    formatted_second = second;
  }
  out->append(prefix);
  char digits[8];
  std::snprintf(digits, sizeof(digits), "%06lld", static_cast<long long>(micros % 1000000));
  out->append(digits);
  out->push_back('Z');
}

// A JSON string: quotes, backslashes and bytes outside printable ASCII escaped (\u00XX), so a
// line is valid JSON whatever a client sent.
void AppendString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out->append(escaped);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendField(std::string* out, absl::string_view key, absl::string_view value,
                 bool even_empty = false) {
  if (value.empty() && !even_empty) return;
  out->append(",\"");
  out->append(key.data(), key.size());
  out->append("\":");
  AppendString(out, value);
}

}  // namespace

void Rpc(const RpcLine& line) {
  std::string text;
  text.reserve(320);
  text.append("{\"time\":\"");
  AppendTime(&text);
  text.append("\",\"level\":\"info\",\"msg\":\"rpc\"");
  AppendField(&text, "method", line.method);
  AppendField(&text, "status", line.status);
  char number[32];
  std::snprintf(number, sizeof(number), ",\"latency_ms\":%.3f", line.latency_ms);
  text.append(number);
  AppendField(&text, "reason", line.reason);
  AppendField(&text, "merchant_id", line.merchant_id, line.identified);
  AppendField(&text, "key_id", line.key_id, line.identified);
  AppendField(&text, "request_id", line.request_id, line.identified);
  if (line.replayed) text.append(",\"replayed\":true");
  if (line.stream_seconds >= 0) {
    std::snprintf(number, sizeof(number), ",\"stream_seconds\":%.3f", line.stream_seconds);
    text.append(number);
  }
  text.append("}\n");
  absl::MutexLock lock(&g_write_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void Info(absl::string_view msg, const nlohmann::json& fields) { Write("info", msg, fields); }
void Warn(absl::string_view msg, const nlohmann::json& fields) { Write("warn", msg, fields); }
void Error(absl::string_view msg, const nlohmann::json& fields) { Write("error", msg, fields); }

void InstallProtobufLogHandler() {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        const nlohmann::json fields = {{"source", "libprotobuf"}, {"file", file}, {"line", line}};
        // libprotobuf's ERROR lines are about input it was handed (a client's invalid UTF-8), which
        // the call's own line reports as INVALID_ARGUMENT: a warning, not a fault of this server.
        if (level == google::protobuf::LOGLEVEL_INFO) {
          Write("info", message, fields);
        } else if (level == google::protobuf::LOGLEVEL_WARNING ||
                   level == google::protobuf::LOGLEVEL_ERROR) {
          Write("warn", message, fields);
        } else {
          Write("error", message, fields);
        }
      });
}

}  // namespace returns::log
