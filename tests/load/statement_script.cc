#include "statement_script.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/embedded_sql.h"

namespace returns::bench {
namespace {

const std::string& SqlOf(const std::string& name) {
  for (const EmbeddedSql& statement : embedded::kStatements) {
    if (statement.name == name) return statement.sql;
  }
  throw std::runtime_error("no embedded statement " + name);
}

// The SQL without comments ("--" to the end of the line, outside quotes).
std::string WithoutComments(const std::string& sql) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\'') quoted = !quoted;
    if (!quoted && sql[i] == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      out.push_back('\n');
      continue;
    }
    out.push_back(sql[i]);
  }
  return out;
}

// A SQL literal. pgbench reads ":name" as a variable even inside quotes, so a value with a colon
// (JSON) is written as an escape string with the colon as \x3a.
std::string Literal(const std::optional<std::string>& value) {
  if (!value.has_value()) return "NULL";
  if (value->find(':') == std::string::npos) {
    return absl::StrCat("'", absl::StrReplaceAll(*value, {{"'", "''"}}), "'");
  }
  return absl::StrCat(
      "E'", absl::StrReplaceAll(*value, {{"\\", "\\\\"}, {"'", "''"}, {":", "\\x3a"}}), "'");
}

}  // namespace

std::vector<storage::RecordedStatement> Recording::Record(const std::function<void()>& run) {
  std::vector<storage::RecordedStatement> recorded;
  sink_ = &recorded;
  run();
  sink_ = nullptr;
  return recorded;
}

std::string PgbenchScript(const std::vector<storage::RecordedStatement>& recorded,
                          const std::map<std::string, std::string>& variables,
                          const std::vector<std::string>& set_lines) {
  std::string script;
  for (const std::string& line : set_lines) absl::StrAppend(&script, line, "\n");
  const std::regex parameter(R"(\$(\d+))");
  for (const auto& statement : recorded) {
    if (statement.name == "BEGIN") {
      absl::StrAppend(&script, "BEGIN;\n");
      continue;
    }
    if (statement.name == "SET") {
      absl::StrAppend(&script, "SET statement_timeout = ", statement.params.at(0).value_or("0"),
                      ";\n");
      continue;
    }
    if (statement.name == "COMMIT") {
      absl::StrAppend(&script, "COMMIT;\n");
      continue;
    }
    const std::string sql = WithoutComments(SqlOf(statement.name));
    std::string text;
    auto begin = std::sregex_iterator(sql.begin(), sql.end(), parameter);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      text.append(sql, last, it->position() - last);
      const size_t index = std::stoul((*it)[1]) - 1;
      const std::optional<std::string>& value = statement.params.at(index);
      auto variable = value.has_value() ? variables.find(*value) : variables.end();
      text += variable != variables.end() ? ":" + variable->second : Literal(value);
      last = it->position() + it->length();
    }
    text.append(sql, last, std::string::npos);
    // pgbench reads one command per line; a multi-line statement ends at its semicolon.
    std::string flat = std::regex_replace(text, std::regex(R"(\s+)"), " ");
    while (!flat.empty() && (flat.back() == ' ' || flat.back() == ';')) flat.pop_back();
    absl::StrAppend(&script, flat, ";\n");
  }
  return script;
}

PgbenchResult RunPgbench(const std::string& database_url, const std::string& script, int clients,
                         int seconds) {
  PgbenchResult result;
  char path[] = "/tmp/returns-pgbench-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {0, 0, "cannot write the pgbench script"};
  std::ofstream(path) << script;
  const std::string command = absl::StrCat("pgbench -n -M prepared -f ", path, " -c ", clients,
                                           " -j 2 -T ", seconds, " '", database_url, "' 2>&1");
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
    pclose(pipe);
  }
  std::remove(path);
  std::smatch match;
  if (std::regex_search(output, match, std::regex(R"(tps = ([0-9.]+))")))
    result.tps = std::stod(match[1]);
  if (std::regex_search(output, match, std::regex(R"(latency average = ([0-9.]+) ms)"))) {
    result.latency_ms = std::stod(match[1]);
  }
  if (result.tps == 0 || output.find("aborted") != std::string::npos) result.error = output;
  return result;
}

}  // namespace returns::bench
