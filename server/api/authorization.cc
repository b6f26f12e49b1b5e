#include "api/authorization.h"

#include "absl/strings/str_cat.h"
#include "api/services.h"
#include "domain/api_key.h"
#include "domain/errors.h"
#include "google/protobuf/descriptor.h"
#include "returns/v1/access.pb.h"
#include "common/enum_text.h"

namespace returns::api {
namespace {

struct RoleTable {
  std::map<std::string, std::set<v1::ApiKeyRole>> roles;
  std::set<std::string> operator_only;
};

// Read once from the contract's method options (proto/returns/v1/access.proto): each method of
// every service in the contract declares its roles where it is declared.
const RoleTable& Table() {
  static const RoleTable* const kTable = [] {
    auto* table = new RoleTable;
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const char* service_name : kContractServices) {
      const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(service_name);
      if (service == nullptr) continue;  // a test checks every contract service is linked
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        const std::string name = service->full_name() + "/" + method->name();
        const google::protobuf::MethodOptions& options = method->options();
        std::set<v1::ApiKeyRole>& roles = table->roles[name];
        for (int r = 0; r < options.ExtensionSize(v1::allowed_roles); ++r) {
          roles.insert(static_cast<v1::ApiKeyRole>(options.GetExtension(v1::allowed_roles, r)));
        }
        if (options.GetExtension(v1::operator_only)) table->operator_only.insert(name);
      }
    }
    return table;
  }();
  return *kTable;
}

}  // namespace

const std::map<std::string, std::set<v1::ApiKeyRole>>& MethodRoles() { return Table().roles; }

absl::Status Authorize(const app::Principal& principal, const std::string& method) {
  const RoleTable& table = Table();
  auto it = table.roles.find(method);
  const bool allowed = it != table.roles.end() && it->second.count(principal.role) > 0 &&
                       (table.operator_only.count(method) == 0 || principal.operator_merchant);
  if (allowed) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kPermissionDenied, reason::kPermissionDenied,
                         absl::StrCat("a ", EnumText(principal.role), " key may not call ", method),
                         {{"role", EnumText(principal.role)}});
}

}  // namespace returns::api
