#include "api/authorization.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "domain/errors.h"
#include "google/protobuf/descriptor.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/logistics_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "returns/v1/timeline_service.pb.h"

namespace returns::api {
namespace {

// Every method of every service in proto/returns/v1/*_service.proto (listed by CMake), so a
// method added to the contract without a role entry fails here.
std::set<std::string> ContractMethods() {
  // Link every service file in (a file nothing references is left out of the binary); a new
  // *_service.proto needs a line here, and the EXPECT below says so.
  (void)v1::UpsertOrderRequest::descriptor();
  (void)v1::CreateReturnRequest::descriptor();
  (void)v1::GetTimelineRequest::descriptor();
  (void)v1::CreateApiKeyRequest::descriptor();
  (void)v1::SetInventoryLevelsRequest::descriptor();
  (void)v1::IssueExchangeTokenRequest::descriptor();
  (void)v1::CreateReturnLabelRequest::descriptor();
  std::set<std::string> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (absl::string_view file_name : absl::StrSplit(RETURNS_SERVICE_PROTOS, ',')) {
    const auto* file = pool->FindFileByName(std::string(file_name));
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

TEST(AuthorizationTest, EveryMethodOfTheContractHasAnEntry) {
  const std::set<std::string> methods = ContractMethods();
  EXPECT_GE(methods.size(), 13u);
  for (const auto& method : methods) {
    EXPECT_TRUE(MethodRoles().count(method)) << method << " has no entry in MethodRoles()";
  }
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
  EXPECT_TRUE(Authorize(As(v1::API_KEY_ROLE_STOREFRONT), "returns.v1.ReturnService/CreateReturn").ok());
  absl::Status denied = Authorize(As(v1::API_KEY_ROLE_CARRIER), "returns.v1.OrderService/UpsertOrder");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MetadataOf(denied)["role"], "CARRIER");
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_STOREFRONT), "returns.v1.AdminService/CreateApiKey").ok());
  EXPECT_FALSE(Authorize(As(v1::API_KEY_ROLE_SUPPORT), "returns.v1.PolicyService/UpdatePolicy").ok());
  EXPECT_TRUE(Authorize(As(v1::API_KEY_ROLE_SUPPORT), "returns.v1.AdminService/ListDecisions").ok());
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
