// returnsctl jobs list | retry: the durable jobs and their dead letters (ADMIN keys).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/enum_text.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct JobValues {
  std::string job_id;
  bool dead = false;
};

void ListJobs(const JobValues& v, CommandContext& context) {
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::ListJobsRequest request;
  if (v.dead) request.set_state(v1::JOB_STATE_DEAD);
  request.set_page_size(200);
  v1::ListJobsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return admin.ListJobs(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::vector<std::vector<std::string>> rows;
  for (const auto& j : response.jobs()) {
    rows.push_back({j.job_id(), EnumText(j.kind()), j.order_id(), EnumText(j.state()),
                    absl::StrCat(j.attempts(), "/", j.max_attempts()), Time(j.run_after()),
                    j.last_error().substr(0, 60)});
  }
  PrintTable({"JOB", "KIND", "ORDER", "STATE", "ATTEMPTS", "RUN AFTER", "LAST ERROR"}, rows);
}

void RetryJob(const JobValues& v, CommandContext& context) {
  v1::AdminService::Stub& admin = *context.services().admin;
  v1::RetryJobRequest request;
  request.set_request_id(context.request_id);
  request.set_job_id(v.job_id);
  v1::Job response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return admin.RetryJob(c, request, &response);
  });
  if (context.rc != 0) return;
  if (context.g.json) return PrintJson(response);
  std::cout << "job " << response.job_id() << " is " << EnumText(response.state()) << "\n";
}

}  // namespace

void AddJobCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<JobValues>();
  auto* jobs = app.add_subcommand("jobs", "durable jobs and their dead letters (ADMIN keys)")
                   ->require_subcommand(1);

  auto* list = jobs->add_subcommand("list", "list jobs, oldest first");
  list->add_flag("--dead", v->dead, "only dead-lettered jobs");
  list->callback([v, &context] { ListJobs(*v, context); });

  auto* retry = jobs->add_subcommand("retry", "put a dead job back in line");
  retry->add_option("job_id", v->job_id)->required();
  retry->callback([v, &context] { RetryJob(*v, context); });
}

}  // namespace returns::client
