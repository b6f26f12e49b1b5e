#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/common/app_context.h"
#include "app/common/live_source.h"
#include "returns/v1/timeline_service.pb.h"

// TimelineService: the timeline and the live streams.
// One use case per file in this folder, named after the function; each is one named
// transaction. Requests arrive validated by server/api/; use cases check what needs the database
// (existence, state, quantities, windows) and return statuses built with domain/errors.h.
namespace returns::app {

absl::Status GetTimeline(const AppContext& app, const CallContext& call,
                         const v1::GetTimelineRequest& request, v1::GetTimelineResponse* response);

// The live streams, as sources the serving layer reads when their key moves
// (app/common/live_source.h). WatchTimeline: an order's timeline after the event
// request.after_event_id, in feed order; NOT_FOUND for an unknown order. StreamEvents: the
// merchant's change feed after request.after_sequence. Both deliver numbered rows only
// (docs/lifecycle.md).
absl::StatusOr<LiveSource<v1::TimelineEvent>> OpenWatchTimeline(
    const AppContext& app, const CallContext& call, const v1::WatchTimelineRequest& request);

absl::StatusOr<LiveSource<v1::ChangeEvent>> OpenStreamEvents(
    const AppContext& app, const CallContext& call, const v1::StreamEventsRequest& request);

}  // namespace returns::app
