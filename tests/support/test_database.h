#pragma once

#include <string>

#include "returns/v1/api_key.pb.h"

// A fresh PostgreSQL database per test, copied from the migrated template database that the
// ctest fixture `test_services` made (tests/test_services.sh), in the throwaway cluster it started.
namespace returns::testing {

// The fixture's folder: pg/ (the cluster) and certs/ (ca.pem, server.pem/.key, client.pem/.key).
std::string TestDir();

// The cluster's URL without a database name: "postgresql://postgres@127.0.0.1:PORT/".
std::string ClusterUrl();

class TestDatabase {
 public:
  TestDatabase();   // CREATE DATABASE t_<random> TEMPLATE returns_template
  ~TestDatabase();  // DROP DATABASE ... WITH (FORCE)
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
};

// Runs one SQL statement on the database at `url` and returns the first column of the first
// row ("" when there is none). For assertions on what was stored.
std::string QueryScalar(const std::string& url, const std::string& sql);

// A new merchant in the database at `url`, with its first ADMIN key.
struct TestMerchant {
  std::string merchant_id;
  std::string admin_key;  // "rk_..."
};
TestMerchant CreateTestMerchant(const std::string& url, const std::string& name = "Test Shop",
                                bool operator_merchant = false);

// A new API key of `merchant_id` with `role`; the key "rk_...".
std::string CreateTestApiKey(const std::string& url, const std::string& merchant_id,
                             v1::ApiKeyRole role);

}  // namespace returns::testing
