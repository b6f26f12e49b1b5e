// returnsctl timeline ORDER_ID [--watch]: an order's timeline, oldest first; with --watch, then
// live until interrupted (WatchTimeline).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

struct TimelineValues {
  std::string order_id;
  bool watch = false;
};

// The whole timeline, then live, until interrupted.
void WatchTimeline(const TimelineValues& v, CommandContext& context) {
  v1::TimelineService::Stub& timeline = *context.services().timeline;
  ClientOptions stream_options = context.g.options;
  stream_options.timeout = absl::Hours(24 * 365);
  auto client_context = MakeContext(stream_options);
  v1::WatchTimelineRequest request;
  request.set_order_id(v.order_id);
  auto reader = timeline.WatchTimeline(client_context.get(), request);
  v1::TimelineEvent event;
  while (reader->Read(&event)) {
    if (context.g.json) {
      PrintJson(event);
    } else {
      // Server text, escaped like every table cell (client/terminal_text.h).
      std::cout << Time(event.create_time()) << "  " << TerminalSafe(event.event_type()) << "  "
                << TerminalSafe(event.state()) << "  " << TerminalSafe(event.summary()) << "\n";
    }
    std::cout.flush();
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    std::cerr << "error: " << DescribeError(status) << "\n";
    context.rc = 1;
  }
}

void ShowTimeline(const TimelineValues& v, CommandContext& context) {
  if (v.watch) return WatchTimeline(v, context);
  v1::TimelineService::Stub& timeline = *context.services().timeline;
  v1::GetTimelineResponse all;
  v1::GetTimelineRequest request;
  request.set_order_id(v.order_id);
  request.set_page_size(200);
  do {  // every page
    v1::GetTimelineResponse page;
    context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
      return timeline.GetTimeline(c, request, &page);
    });
    if (context.rc != 0) return;
    for (const auto& e : page.events()) *all.add_events() = e;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (context.g.json) return PrintJson(all);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : all.events()) {
    rows.push_back({Time(e.create_time()), e.event_type(), e.state(), e.summary()});
  }
  PrintTable({"TIME", "EVENT", "STATE", "SUMMARY"}, rows);
}

}  // namespace

void AddTimelineCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<TimelineValues>();
  auto* timeline = app.add_subcommand("timeline", "show an order's timeline, oldest first");
  timeline->add_option("order_id", v->order_id)->required();
  timeline->add_flag("--watch", v->watch,
                     "then keep printing new events as they happen (WatchTimeline)");
  timeline->callback([v, &context] { ShowTimeline(*v, context); });
}

}  // namespace returns::client
