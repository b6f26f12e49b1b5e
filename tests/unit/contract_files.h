#pragma once

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "returns/v1/admin_service.pb.h"
#include "returns/v1/analytics_service.pb.h"
#include "returns/v1/claim_service.pb.h"
#include "returns/v1/policy_service.pb.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/inventory_service.pb.h"
#include "returns/v1/webhook_service.pb.h"
#include "returns/v1/logistics_service.pb.h"
#include "returns/v1/money_service.pb.h"
#include "returns/v1/order_service.pb.h"
#include "returns/v1/return_service.pb.h"
#include "returns/v1/timeline_service.pb.h"

namespace returns::testing {

// The contract's service files, proto/returns/v1/*_service.proto (listed by CMake in
// RETURNS_SERVICE_PROTOS); a name missing from the result is a file not linked into the tests.
struct ContractFile {
  std::string name;
  const google::protobuf::FileDescriptor* file = nullptr;  // null when not linked in
};

inline std::vector<ContractFile> ContractServiceFiles() {
  // Link every service file in (a file nothing references is left out of the binary); a new
  // *_service.proto needs a line here, and the tests that use this say so.
  (void)v1::UpsertOrderRequest::descriptor();
  (void)v1::CreateReturnRequest::descriptor();
  (void)v1::GetTimelineRequest::descriptor();
  (void)v1::CreateApiKeyRequest::descriptor();
  (void)v1::SetInventoryLevelsRequest::descriptor();
  (void)v1::IssueExchangeTokenRequest::descriptor();
  (void)v1::CreateReturnLabelRequest::descriptor();
  (void)v1::FileClaimRequest::descriptor();
  (void)v1::UpdatePolicyRequest::descriptor();
  (void)v1::GetKpisRequest::descriptor();
  (void)v1::GetMoneyMovementRequest::descriptor();
  (void)v1::CreateWebhookEndpointRequest::descriptor();
  std::vector<ContractFile> files;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (absl::string_view name : absl::StrSplit(RETURNS_SERVICE_PROTOS, ',')) {
    files.push_back({std::string(name), pool->FindFileByName(std::string(name))});
  }
  return files;
}

}  // namespace returns::testing
