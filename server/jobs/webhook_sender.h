#pragma once

#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "app/background/background_passes.h"
#include "app/common/app_context.h"

namespace returns::jobs {

// The threads that send webhooks while returnsd runs: one queues the feed's new events
// (app::QueueWebhookDeliveries), the others send (app::SendDueWebhooks). Each sender holds one
// endpoint at a time, so a slow or failing endpoint takes one thread for at most the total
// timeout per attempt and holds up no other endpoint's queueing. Any number of replicas run them at
// once (SKIP LOCKED and leases keep an endpoint with one sender).
class WebhookSender {
 public:
  WebhookSender(const app::AppContext& app, app::WebhookDeliveryOptions options, int threads,
                absl::Duration poll_interval);
  ~WebhookSender();  // stops the threads after their current attempt

 private:
  void Loop(bool queues);  // queues the feed, or sends

  const app::AppContext& app_;
  const app::WebhookDeliveryOptions options_;
  const absl::Duration poll_interval_;
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

}  // namespace returns::jobs
