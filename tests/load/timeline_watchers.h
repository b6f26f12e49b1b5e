#pragma once

// N WatchTimeline streams held open during a benchmark phase, each on an order of its own; they
// record when each event reached them, so the benchmark can report the live latency (unary
// response -> watcher) next to the unary latency it measures with the watchers open.
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/returns_client.h"
#include "returns/v1/timeline_service.grpc.pb.h"

namespace returns::bench {

class TimelineWatchers {
 public:
  TimelineWatchers(const client::ClientOptions& options, const std::vector<std::string>& order_ids) {
    client::ClientOptions stream = options;
    stream.timeout = absl::Hours(1);
    for (size_t i = 0; i < order_ids.size(); ++i) {
      if (i % 25 == 0) channel_ = client::MakeChannel(stream);  // 25 streams per connection
      auto context = client::MakeContext(stream);
      auto stub = v1::TimelineService::NewStub(channel_);
      contexts_.push_back(std::move(context));
      grpc::ClientContext* ctx = contexts_.back().get();
      threads_.emplace_back([this, ctx, stub = std::move(stub), order_id = order_ids[i]] {
        v1::WatchTimelineRequest request;
        request.set_order_id(order_id);
        auto reader = stub->WatchTimeline(ctx, request);
        v1::TimelineEvent event;
        bool first = true;
        while (reader->Read(&event)) {
          if (first) {
            ++open_;
            first = false;
          }
          absl::MutexLock lock(&mu_);
          received_[event.resource_id()] = absl::Now();
        }
        reader->Finish();
      });
    }
  }

  ~TimelineWatchers() {
    for (auto& context : contexts_) context->TryCancel();
    for (auto& thread : threads_) thread.join();
  }

  // Streams that delivered their first event (the order's existing timeline).
  int open() const { return open_; }

  // When the watcher of `resource_id`'s order got its event, if it did.
  std::optional<absl::Time> ReceivedAt(const std::string& resource_id) {
    absl::MutexLock lock(&mu_);
    auto it = received_.find(resource_id);
    if (it == received_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts_;
  std::vector<std::thread> threads_;
  std::atomic<int> open_{0};
  absl::Mutex mu_;
  std::map<std::string, absl::Time> received_ ABSL_GUARDED_BY(mu_);
};

}  // namespace returns::bench
