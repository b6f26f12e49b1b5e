#include "api/authorization.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "contract_files.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

// Every method of every service in proto/returns/v1/*_service.proto (listed by CMake), so a
// method added to the contract without a role entry fails here.
std::set<std::string> ContractMethods() {
  std::set<std::string> methods;
  for (const auto& [file_name, file] : testing::ContractServiceFiles()) {
    EXPECT_NE(file, nullptr) << file_name << " is not linked into the tests";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.insert(service->full_name() + "/" + service->method(m)->name());
      }
    }
  }
  return methods;
}

// The roles come from each method's allowed_roles option: a method added to the contract
// without one (or a service missing from kContractServices) fails here.
TEST(AuthorizationTest, EveryMethodOfTheContractDeclaresItsRoles) {
  const std::set<std::string> methods = ContractMethods();
  EXPECT_EQ(methods.size(), 65u);
  for (const auto& method : methods) {
    auto it = MethodRoles().find(method);
    ASSERT_NE(it, MethodRoles().end()) << method << " is not read into MethodRoles()";
    EXPECT_FALSE(it->second.empty()) << method << " declares no (returns.v1.allowed_roles)";
  }
  EXPECT_EQ(MethodRoles().size(), methods.size());
}

TEST(AuthorizationTest, OnlyAnOperatorMerchantsAdminCreatesMerchants) {
  app::Principal admin;
  admin.merchant_id = "m";
  admin.role = v1::API_KEY_ROLE_ADMIN;
  EXPECT_FALSE(Authorize(admin, "returns.v1.AdminService/CreateMerchant").ok());
  admin.operator_merchant = true;
  EXPECT_TRUE(Authorize(admin, "returns.v1.AdminService/CreateMerchant").ok());
  EXPECT_TRUE(Authorize(admin, "returns.v1.AdminService/CreateApiKey").ok());
}

// docs/security.md: a support agent reads everything of its merchant, the change feed and live
// timelines included; only the list of API keys is the administrators'.
TEST(AuthorizationTest, SupportReadsEverythingOfItsMerchant) {
  int reads = 0;
  for (const auto& [method, roles] : MethodRoles()) {
    const std::string name = method.substr(method.find('/') + 1);
    const bool read = name.rfind("Get", 0) == 0 || name.rfind("List", 0) == 0 ||
                      name.rfind("Watch", 0) == 0 || name.rfind("Stream", 0) == 0 ||
                      name.rfind("Download", 0) == 0;
    if (!read || method == "returns.v1.AdminService/ListApiKeys") continue;
    ++reads;
    EXPECT_TRUE(roles.count(v1::API_KEY_ROLE_SUPPORT)) << method;
  }
  EXPECT_GE(reads, 20);
  EXPECT_TRUE(
      MethodRoles().at("returns.v1.TimelineService/StreamEvents").count(v1::API_KEY_ROLE_SUPPORT));
}

TEST(AuthorizationTest, EveryEntryAllowsAdminAndNamesRealRoles) {
  for (const auto& [method, roles] : MethodRoles()) {
    EXPECT_TRUE(roles.count(v1::API_KEY_ROLE_ADMIN)) << method;
    EXPECT_FALSE(roles.count(v1::API_KEY_ROLE_UNSPECIFIED)) << method;
  }
}

app::Principal As(v1::ApiKeyRole role, bool operator_merchant = false) {
  app::Principal p;
  p.merchant_id = "m";
  p.role = role;
  p.operator_merchant = operator_merchant;
  return p;
}

TEST(AuthorizationTest, RolesGetWhatTheTableSays) {
  EXPECT_TRUE(
      Authorize(As(v1::API_KEY_ROLE_STOREFRONT), "returns.v1.ReturnService/CreateReturn").ok());
  absl::Status denied =
      Authorize(As(v1::API_KEY_ROLE_CARRIER), "returns.v1.OrderService/UpsertOrder");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MetadataOf(denied)["role"], "CARRIER");
  EXPECT_FALSE(
      Authorize(As(v1::API_KEY_ROLE_STOREFRONT), "returns.v1.AdminService/CreateApiKey").ok());
  EXPECT_FALSE(
      Authorize(As(v1::API_KEY_ROLE_SUPPORT), "returns.v1.PolicyService/UpdatePolicy").ok());
  EXPECT_TRUE(
      Authorize(As(v1::API_KEY_ROLE_SUPPORT), "returns.v1.AdminService/ListDecisions").ok());
}

TEST(AuthorizationTest, UnknownMethodsAreDenied) {
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_ADMIN), "returns.v1.OrderService/DropAll").ok());
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_ADMIN), "").ok());
}

TEST(AuthorizationTest, OnlyOperatorAdminsCreateMerchants) {
  const std::string method = "returns.v1.AdminService/CreateMerchant";
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_ADMIN), method).ok());
  EXPECT_TRUE(Authorize(As(v1::API_KEY_ROLE_ADMIN, /*operator_merchant=*/true), method).ok());
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_SUPPORT, /*operator_merchant=*/true), method).ok());
}

}  // namespace
}  // namespace returns::api
