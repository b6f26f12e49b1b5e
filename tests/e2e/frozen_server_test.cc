// A replica frozen (SIGSTOP) while clients open streams to it and give up on them: when it wakes,
// gRPC sees each stream start and be cancelled at once, while the stream's open still waits on
// the executor. The open reads the call's context and request, which live only until the call is
// done: the stream must not finish (and free them) while its open may run. Before that rule, a
// replica woken from a long freeze with streams churning died of SIGSEGV.
#include <signal.h>

#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "e2e_fixture.h"

namespace returns::testing {
namespace {

class FrozenServerTest : public E2ETest {};

TEST_F(FrozenServerTest, StreamsGivenUpWhileItWasFrozenEndWithoutHarm) {
  // One executor thread: the opens queue behind each other, as behind a database that is away.
  ServerProcess server(db_.url(), {"--executor_threads", "1", "--db_pool_size", "1"});
  client::ClientOptions options = options_;
  options.address = server.address();
  options.timeout = absl::Milliseconds(300);
  auto channel = client::MakeChannel(options);
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)));

  server.Signal(SIGSTOP);
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      auto stub = v1::TimelineService::NewStub(channel);
      for (int i = 0; i < 8; ++i) {
        auto context = client::MakeContext(options);
        if (i % 2 == 0) {
          auto reader = stub->StreamEvents(context.get(), v1::StreamEventsRequest());
          v1::ChangeEvent event;
          while (reader->Read(&event)) {
          }
          EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
        } else {
          v1::WatchTimelineRequest request;
          request.set_order_id("frozen");
          auto reader = stub->WatchTimeline(context.get(), request);
          v1::TimelineEvent event;
          while (reader->Read(&event)) {
          }
          EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  server.Signal(SIGCONT);
  absl::SleepFor(absl::Seconds(2));  // the 64 opens and cancels run their course
  ASSERT_TRUE(server.running()) << server.logs();

  // It still serves: a new stream opens and gets the order's events.
  options.timeout = absl::Seconds(10);
  ASSERT_TRUE(Upsert(SampleOrder("frozen")).ok());
  v1::WatchTimelineRequest request;
  request.set_order_id("frozen");
  auto context = client::MakeContext(options);
  auto reader = v1::TimelineService::NewStub(channel)->WatchTimeline(context.get(), request);
  v1::TimelineEvent event;
  EXPECT_TRUE(reader->Read(&event));
  context->TryCancel();
  while (reader->Read(&event)) {
  }
  (void)reader->Finish();
  EXPECT_TRUE(server.running());
}

}  // namespace
}  // namespace returns::testing
