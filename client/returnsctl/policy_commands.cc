// returnsctl commands for the merchant's policy as versioned data: show (current or an earlier
// version), set (a few fields, conditional on the etag), history.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "returns/v1/policy_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "table.h"

namespace returns::client {
namespace {

using google::protobuf::FieldDescriptor;

struct PolicyValues {
  int64_t version = 0;
  std::vector<std::string> assignments;  // FIELD=VALUE
  std::string etag, reason, page_token;
  int page_size = 0;
};

// Every field of the policy, one per line, in the proto's order.
void PrintPolicy(const v1::Policy& policy) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(policy, &json, options);
  std::cout << "policy version " << policy.version() << "  etag " << policy.etag() << "  updated "
            << Time(policy.update_time()) << "\n"
            << json << "\n";
}

// "return_window_days=45" -> {"return_window_days": 45}; a Money field takes minor units
// ("restocking_fee=300"), a list takes commas ("final_sale_skus=A,B").
bool AddAssignment(const std::string& text, std::string* json_fields,
                   v1::UpdatePolicyRequest* request, std::string* error) {
  const size_t eq = text.find('=');
  const std::string name = text.substr(0, eq);
  const FieldDescriptor* field = v1::Policy::descriptor()->FindFieldByName(name);
  if (eq == std::string::npos || field == nullptr) {
    *error = absl::StrCat("\"", text,
                          "\": expected FIELD=VALUE with a field of the policy (see policy show)");
    return false;
  }
  const std::string value = text.substr(eq + 1);
  std::string encoded;
  if (field->is_map()) {  // "shoes:60,swimwear:14"
    std::vector<std::string> entries;
    for (absl::string_view entry : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits(':', 1));
      entries.push_back(absl::StrCat("\"", kv.first, "\": ", kv.second));
    }
    encoded = absl::StrCat("{", absl::StrJoin(entries, ","), "}");
  } else if (field->is_repeated()) {
    std::vector<std::string> items;
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      items.push_back(absl::StrCat("\"", item, "\""));
    }
    encoded = absl::StrCat("[", absl::StrJoin(items, ","), "]");
  } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    encoded = absl::StrCat("{\"amount_minor\": \"", value, "\"}");
  } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    encoded = absl::StrCat("\"", value, "\"");
  } else {
    encoded = value;  // numbers and true/false as they are
  }
  if (!json_fields->empty()) *json_fields += ",";
  *json_fields += absl::StrCat("\"", name, "\": ", encoded);
  request->mutable_update_mask()->add_paths(name);
  return true;
}

void SetPolicy(const PolicyValues& v, CommandContext& context) {
  v1::UpdatePolicyRequest request;
  std::string fields, error;
  for (const auto& text : v.assignments) {
    if (!AddAssignment(text, &fields, &request, &error)) {
      std::cerr << "error: " << error << "\n";
      context.rc = 2;
      return;
    }
  }
  if (!google::protobuf::util::JsonStringToMessage("{" + fields + "}", request.mutable_policy())
           .ok()) {
    std::cerr << "error: a value does not fit its field: " << fields << "\n";
    context.rc = 2;
    return;
  }
  // First: it draws the default request id.
  v1::PolicyService::Stub& policies = *context.services().policies;
  request.mutable_policy()->set_etag(v.etag);
  request.set_reason(v.reason);
  request.set_request_id(context.request_id);
  v1::Policy response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return policies.UpdatePolicy(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintPolicy(response);
}

void ShowHistory(const PolicyValues& v, CommandContext& context) {
  v1::ListPolicyVersionsRequest request;
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::PolicyService::Stub& policies = *context.services().policies;
  v1::ListPolicyVersionsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return policies.ListPolicyVersions(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) {
    PrintJson(response);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& version : response.versions()) {
    rows.push_back({absl::StrCat(version.version()), Time(version.create_time()), version.actor(),
                    version.reason().empty() ? "-" : version.reason().substr(0, 60)});
  }
  PrintTable({"VERSION", "TIME", "ACTOR", "REASON"}, rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

void ShowPolicy(const PolicyValues& v, CommandContext& context) {
  v1::GetPolicyRequest request;
  request.set_version(v.version);
  v1::PolicyService::Stub& policies = *context.services().policies;
  v1::Policy response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return policies.GetPolicy(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintPolicy(response);
}

}  // namespace

void AddPolicyCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<PolicyValues>();
  auto* policy = app.add_subcommand("policy", "the merchant's policy: show, set, history")
                     ->require_subcommand(1);
  auto* show = policy->add_subcommand("show", "the current policy, or an earlier version");
  show->add_option("--version", v->version, "an earlier version");
  show->callback([v, &context] { ShowPolicy(*v, context); });
  auto* set = policy->add_subcommand("set", "change fields (ADMIN): a new version");
  set->add_option("assignments", v->assignments,
                  "FIELD=VALUE ... e.g. return_window_days=45 restocking_fee=300 "
                  "final_sale_skus=A,B category_return_window_days=shoes:60,swimwear:14")
      ->required();
  set->add_option("--etag", v->etag, "refuse if the policy changed since this etag (policy show)");
  set->add_option("--reason", v->reason, "why, for the audit");
  set->callback([v, &context] { SetPolicy(*v, context); });
  auto* history =
      policy->add_subcommand("history", "every version, newest first, with who and why");
  history->add_option("--page-size", v->page_size);
  history->add_option("--page-token", v->page_token);
  history->callback([v, &context] { ShowHistory(*v, context); });
}

}  // namespace returns::client
