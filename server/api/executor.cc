#include "api/executor.h"

#include "common/guarded.h"

namespace returns::api {

Executor::Executor(int threads, int max_queued, int max_queued_per_lane)
    : max_queued_(max_queued), max_queued_per_lane_(max_queued_per_lane) {
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

Executor::~Executor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& thread : threads_) thread.join();
}

bool Executor::TrySubmit(const std::string& lane, absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  if (queued_ >= max_queued_) return false;
  auto it = lanes_.find(lane);
  if (it != lanes_.end() && static_cast<int>(it->second.size()) >= max_queued_per_lane_)
    return false;
  EnqueueLocked(lane, std::move(task));
  return true;
}

void Executor::Submit(const std::string& lane, absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  EnqueueLocked(lane, std::move(task));
}

void Executor::EnqueueLocked(const std::string& lane, absl::AnyInvocable<void() &&> task) {
  auto& queue = lanes_[lane];
  if (queue.empty()) turns_.push_back(lane);
  queue.push_back(std::move(task));
  ++queued_;
}

int Executor::queued() const {
  absl::MutexLock lock(&mu_);
  return queued_;
}

void Executor::Loop() {
  for (;;) {
    absl::AnyInvocable<void() &&> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Executor* e)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(e->mu_) { return e->stopping_ || e->queued_ > 0; },
          this));
      if (queued_ == 0) return;  // stopping, and nothing left to run
      // The lane whose turn it is gives one task and, if it has more, goes to the back.
      const std::string lane = std::move(turns_.front());
      turns_.pop_front();
      auto it = lanes_.find(lane);
      task = std::move(it->second.front());
      it->second.pop_front();
      if (it->second.empty()) {
        lanes_.erase(it);
      } else {
        turns_.push_back(lane);
      }
      --queued_;
    }
    RunGuarded("executor task", [&] { std::move(task)(); });
  }
}

}  // namespace returns::api
