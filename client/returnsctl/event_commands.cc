// returnsctl events [--after N] [--follow]: the merchant's change feed, in commit order.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "returns/v1/timeline_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"

namespace returns::client {
namespace {

struct EventValues {
  int64_t after_sequence = 0;
  bool follow = false;
};

void StreamEvents(const EventValues& v, CommandContext& context) {
  v1::TimelineService::Stub& timeline = *context.services().timeline;
  ClientOptions stream_options = context.g.options;
  // Without --follow, stop once the feed has been quiet for the timeout.
  stream_options.timeout = v.follow ? absl::Hours(24 * 365) : absl::Seconds(2);
  const bool progress = v.follow && isatty(STDERR_FILENO);
  int64_t received = 0, last = v.after_sequence;
  absl::Time next_progress = absl::Now();
  for (;;) {
    auto client_context = MakeContext(stream_options);
    v1::StreamEventsRequest request;
    request.set_after_sequence(last);
    auto reader = timeline.StreamEvents(client_context.get(), request);
    v1::ChangeEvent event;
    while (reader->Read(&event)) {
      if (context.g.json) {
        PrintJson(event);
      } else {
        std::cout << event.sequence() << "  " << Time(event.create_time()) << "  "
                  << TerminalSafe(event.event_type()) << "  "
                  << TerminalSafe(event.aggregate_type()) << " "
                  << TerminalSafe(event.aggregate_id()) << "\n";
      }
      std::cout.flush();
      last = event.sequence();
      ++received;
      if (progress && absl::Now() >= next_progress) {
        std::cerr << "\r[" << received << " events, last sequence " << last << "]" << std::flush;
        next_progress = absl::Now() + absl::Seconds(2);
      }
    }
    grpc::Status status = reader->Finish();
    const bool resumable = status.ok() || status.error_code() == grpc::StatusCode::UNAVAILABLE;
    if (v.follow && resumable) {
      // The server ended the stream (drain, lifetime) or went away: resume after `last`.
      if (progress) std::cerr << "\r[stream ended; resuming after sequence " << last << "]\n";
      absl::SleepFor(absl::Seconds(status.ok() ? 0 : 1));
      continue;
    }
    if (!status.ok() && status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::cerr << "error: " << DescribeError(status) << "\n";
      context.rc = 1;
    }
    break;
  }
}

}  // namespace

void AddEventCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<EventValues>();
  auto* events = app.add_subcommand("events", "the merchant's change feed, in commit order");
  events->add_option("--after", v->after_sequence, "resume after this sequence")
      ->capture_default_str();
  events->add_flag("--follow", v->follow,
                   "keep streaming new events until interrupted, resuming after the last one when "
                   "the stream ends (server drain, stream lifetime, a lost connection); progress "
                   "on stderr");
  events->callback([v, &context] { StreamEvents(*v, context); });
}

}  // namespace returns::client
