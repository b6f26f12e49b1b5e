#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace returns::app {

// The most events one read of a live stream returns.
inline constexpr int kLiveBatch = 100;

// A live stream's events (WatchTimeline, StreamEvents), read a batch at a time after a cursor
// the source keeps. The serving layer (api/live_stream.h) reads when the change listener says
// `watch_key` moved, writes what it read, and holds no thread or connection in between.
template <typename Event>
struct LiveSource {
  // The ChangeListener key whose commits bring new events: "<merchant>" or "<merchant>/<order>".
  std::string watch_key;
  // Appends the next events after the cursor (at most kLiveBatch) and moves the cursor past
  // them. An error (the database unreachable) ends the stream; the client resumes from the last
  // event it got.
  std::function<absl::Status(std::vector<Event>*)> read_batch;
};

}  // namespace returns::app
