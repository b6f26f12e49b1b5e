#include "test_database.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <pqxx/pqxx>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/use_cases.h"
#include "common/crypto.h"
#include "storage/connection_pool.h"

namespace returns::testing {

std::string ClusterUrl() {
  const char* dir = std::getenv("RETURNS_TEST_PG_DIR");
  if (dir == nullptr) throw std::runtime_error("RETURNS_TEST_PG_DIR is not set (run through ctest)");
  std::ifstream file(std::string(dir) + "/url");
  std::string url;
  std::getline(file, url);
  if (url.empty()) throw std::runtime_error("no test cluster URL; did the pg_cluster fixture run?");
  // ".../returns_template" -> ".../"
  return url.substr(0, url.rfind('/') + 1);
}

TestDatabase::TestDatabase() {
  name_ = absl::StrCat("t_", absl::StrReplaceAll(crypto::RandomUuid(), {{"-", ""}}));
  pqxx::connection admin(ClusterUrl() + "postgres");
  pqxx::nontransaction tx(admin);
  tx.exec(absl::StrCat("CREATE DATABASE ", name_, " TEMPLATE returns_template"));
  url_ = ClusterUrl() + name_;
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(ClusterUrl() + "postgres");
    pqxx::nontransaction tx(admin);
    tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  } catch (const std::exception&) {
    // The cluster may already be gone at the end of the run; it is thrown away anyway.
  }
}

std::string QueryScalar(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  auto result = tx.exec(sql);
  if (result.empty() || result[0][0].is_null()) return "";
  return result[0][0].as<std::string>();
}

std::string CreateTestMerchant(const std::string& url, const std::string& name) {
  storage::ConnectionPool pool(url, 1);
  auto id = app::CreateMerchant(pool, name);
  if (!id.ok()) throw std::runtime_error(std::string(id.status().message()));
  return *id;
}

}  // namespace returns::testing
