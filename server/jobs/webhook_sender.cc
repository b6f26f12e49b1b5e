#include "jobs/webhook_sender.h"

#include "common/guarded.h"
#include "common/log.h"

namespace returns::jobs {

WebhookSender::WebhookSender(const app::AppContext& app, app::WebhookDeliveryOptions options,
                             int threads, absl::Duration poll_interval)
    : app_(app), options_(options), poll_interval_(poll_interval) {
  if (threads == 0) return;  // no sending, so nothing to queue either
  threads_.emplace_back([this] { Loop(/*queues=*/true); });
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(/*queues=*/false); });
}

WebhookSender::~WebhookSender() {
  stop_.Notify();
  for (auto& thread : threads_) thread.join();
}

void WebhookSender::Loop(bool queues) {
  bool warned = false;
  while (!stop_.HasBeenNotified()) {
    absl::Status status = absl::OkStatus();
    bool busy = false;
    RunGuarded("webhook sender", [&] {
      if (queues) {
        absl::StatusOr<int64_t> queued = app::QueueWebhookDeliveries(app_, options_);
        if (!queued.ok()) status = queued.status();
        return;
      }
      absl::StatusOr<int> claimed = app::SendDueWebhooks(app_, options_);
      if (!claimed.ok()) {
        status = claimed.status();
      } else {
        busy = *claimed == options_.endpoints_per_pass;
      }
    });
    if (!status.ok()) {
      if (!warned)
        log::Warn("webhook sender cannot reach the database", {{"error", status.message()}});
      warned = true;
    } else {
      warned = false;
      if (busy) continue;  // more endpoints may be due
    }
    stop_.WaitForNotificationWithTimeout(poll_interval_);
  }
}

}  // namespace returns::jobs
