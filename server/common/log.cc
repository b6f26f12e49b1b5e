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

}  // namespace

void Info(absl::string_view msg, const nlohmann::json& fields) { Write("info", msg, fields); }
void Warn(absl::string_view msg, const nlohmann::json& fields) { Write("warn", msg, fields); }
void Error(absl::string_view msg, const nlohmann::json& fields) { Write("error", msg, fields); }

void InstallProtobufLogHandler() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level, const char* file, int line,
                                     const std::string& message) {
    const nlohmann::json fields = {{"source", "libprotobuf"}, {"file", file}, {"line", line}};
    // libprotobuf's ERROR lines are about input it was handed (a client's invalid UTF-8), which
    // the call's own line reports as INVALID_ARGUMENT: a warning, not a fault of this server.
    if (level == google::protobuf::LOGLEVEL_INFO) {
      Write("info", message, fields);
    } else if (level == google::protobuf::LOGLEVEL_WARNING || level == google::protobuf::LOGLEVEL_ERROR) {
      Write("warn", message, fields);
    } else {
      Write("error", message, fields);
    }
  });
}

}  // namespace returns::log
