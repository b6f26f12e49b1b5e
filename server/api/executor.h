#pragma once

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

// Where the calls' blocking work runs (libpqxx round trips): a fixed set of threads and a
// bounded queue in front of them. gRPC's callback threads only hand work over, so they stay free
// for health checks, reflection and new calls however busy the database is; and a call that
// finds the queue full is refused at once (RESOURCE_EXHAUSTED) instead of waiting for its
// deadline behind the others. Threads a little above the database pool's size keep every
// connection busy while some threads encode, decode and talk to gRPC.
namespace returns::api {

class Executor {
 public:
  Executor(int threads, int max_queued);
  ~Executor();  // runs what is queued, then joins

  // False, and `task` dropped, when `max_queued` tasks are already waiting.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  int queued() const;
  int max_queued() const { return max_queued_; }

 private:
  void Loop();

  const int max_queued_;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace returns::api
