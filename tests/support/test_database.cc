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
#include "domain/api_key.h"
#include "storage/connection_pool.h"
#include "common/enum_text.h"

namespace returns::testing {

std::string TestDir() {
  const char* dir = std::getenv("RETURNS_TEST_DIR");
  if (dir == nullptr) throw std::runtime_error("RETURNS_TEST_DIR is not set (run through ctest)");
  return dir;
}

std::string ClusterUrl() {
  std::ifstream file(TestDir() + "/pg/url");
  std::string url;
  std::getline(file, url);
  if (url.empty())
    throw std::runtime_error("no test cluster URL; did the test_services fixture run?");
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

TestMerchant CreateTestMerchant(const std::string& url, const std::string& name,
                                bool operator_merchant) {
  storage::ConnectionPool pool(url, 1);
  auto created = app::CreateMerchant(pool, name, operator_merchant);
  if (!created.ok()) throw std::runtime_error(std::string(created.status().message()));
  return TestMerchant{created->merchant_id(), created->admin_key_secret()};
}

std::string CreateTestApiKey(const std::string& url, const std::string& merchant_id,
                             v1::ApiKeyRole role) {
  ParsedApiKey key = NewApiKey();
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  tx.exec_params(
      "INSERT INTO api_keys (merchant_id, key_id, secret_hash, role, display_name) "
      "VALUES ($1::uuid, $2, $3, $4, 'test')",
      merchant_id, key.key_id, HashApiKeySecret(key.secret), EnumText(role));
  tx.commit();
  return FormatApiKey(key);
}

}  // namespace returns::testing
