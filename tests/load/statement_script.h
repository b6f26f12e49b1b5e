#pragma once

#include <map>
#include <string>
#include <vector>

#include "storage/transaction.h"

// The raw-PostgreSQL ceiling of a call, built from what the service really ran: a use case is
// run once in-process on a pool made with a Recording's recorder, and the recorded statements
// become a pgbench script of the embedded .sql files (server/storage/sql/) with the recorded
// parameters as literals. So the ceiling cannot drift from the service: a changed statement or a
// new one changes the script too.
namespace returns::bench {

// Give recorder() to the pool the use cases run on (PoolOptions::recorder); Record returns the
// statements `run` executes on it (run it once, single-threaded). Outside Record nothing is kept.
class Recording {
 public:
  storage::StatementRecorder* recorder() { return &recorder_; }
  std::vector<storage::RecordedStatement> Record(const std::function<void()>& run);

 private:
  std::vector<storage::RecordedStatement>* sink_ = nullptr;
  storage::StatementRecorder recorder_ = [this](const storage::RecordedStatement& statement) {
    if (sink_ != nullptr) sink_->push_back(statement);
  };
};

// The pgbench script of `recorded`. A parameter whose text is a key of `variables` becomes that
// pgbench variable (":rid"), so every transaction can use its own request id or order; the
// script's `\set` lines come first, as given.
std::string PgbenchScript(const std::vector<storage::RecordedStatement>& recorded,
                          const std::map<std::string, std::string>& variables,
                          const std::vector<std::string>& set_lines);

struct PgbenchResult {
  double tps = 0;
  double latency_ms = 0;  // pgbench's average
  std::string error;      // non-empty when pgbench failed; its output
};

// Runs pgbench (prepared statements, `clients` connections, 2 threads, `seconds`) with `script`.
PgbenchResult RunPgbench(const std::string& database_url, const std::string& script, int clients,
                         int seconds);

}  // namespace returns::bench
