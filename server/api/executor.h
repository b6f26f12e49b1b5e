#pragma once

#include <deque>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

// Where the calls' blocking work runs (libpqxx round trips): a fixed set of threads and bounded
// queues in front of them. gRPC's callback threads only hand work over, so they stay free for
// health checks, reflection and new calls however busy the database is; and a call that finds
// its queue full is refused at once (RESOURCE_EXHAUSTED) instead of waiting for its deadline
// behind the others.
//
// Fairness: queued work waits in one lane per API key (the key id read from the call's header,
// before any database work), and the threads take lanes in turn. One key's flood fills only its
// own lane (at most `max_queued_per_lane`), so another merchant's call waits behind at most one
// task of each busy key, not behind the whole flood.
namespace returns::api {

class Executor {
 public:
  Executor(int threads, int max_queued, int max_queued_per_lane);
  ~Executor();  // runs what is queued, then joins

  // A new call's work: false, and `task` dropped, when the lane or the whole queue is full.
  bool TrySubmit(const std::string& lane, absl::AnyInvocable<void() &&> task);
  // Work owed to something already admitted (an open stream's next read, at most one each):
  // never refused, still served in its lane's turn.
  void Submit(const std::string& lane, absl::AnyInvocable<void() &&> task);

  int queued() const;

 private:
  void Loop();
  void EnqueueLocked(const std::string& lane, absl::AnyInvocable<void() &&> task)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_queued_;
  const int max_queued_per_lane_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::deque<absl::AnyInvocable<void() &&>>> lanes_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> turns_ ABSL_GUARDED_BY(mu_);  // lanes with work, in the order served
  int queued_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace returns::api
