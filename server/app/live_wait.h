#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "app/app_context.h"
#include "storage/change_listener.h"

namespace returns::app {

// How a live stream (WatchTimeline, StreamEvents) waits between reads of committed events.
class LiveWait {
 public:
  // Watches `key` ("<merchant>" or "<merchant>/<order>") when the app has a change listener.
  LiveWait(const AppContext& app, std::string key);

  // The key's version; take it before reading, so a commit between the read and Wait is seen.
  uint64_t Version() const;

  // Returns when the key's version moved past `seen` (woken by NOTIFY), when `stopped` says so,
  // or after the safety-net interval (30 s) - or, without a connected listener, after a poll
  // interval (250 ms).
  void Wait(uint64_t seen, absl::FunctionRef<bool()> stopped) const;

 private:
  const AppContext& app_;
  std::optional<storage::ChangeListener::Watch> watch_;
};

}  // namespace returns::app
