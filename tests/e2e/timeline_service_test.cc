// TimelineService.GetTimeline end to end.
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "e2e_fixture.h"

namespace returns::testing {
namespace {

using TimelineServiceTest = E2ETest;

TEST_F(TimelineServiceTest, ListsEveryTransitionInOrderAcrossPages) {
  ASSERT_TRUE(Upsert(SampleOrder("1001", 3)).ok());
  v1::Return first;
  ASSERT_TRUE(Create(SampleReturn("1001", "L1", 1), &first).ok());
  ASSERT_TRUE(Create(SampleReturn("1001", "L2", 1)).ok());
  v1::CancelReturnRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_return_id(first.return_id());
  v1::Return cancelled;
  ASSERT_TRUE(stubs_.returns->CancelReturn(Context().get(), cancel, &cancelled).ok());

  v1::GetTimelineRequest request;
  request.set_order_id("1001");
  request.set_page_size(3);
  std::vector<v1::TimelineEvent> events;
  do {
    v1::GetTimelineResponse page;
    ASSERT_TRUE(stubs_.timeline->GetTimeline(Context().get(), request, &page).ok());
    events.insert(events.end(), page.events().begin(), page.events().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());

  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event_type(), "order.created");
  EXPECT_EQ(events[1].event_type(), "return.requested");
  EXPECT_EQ(events[1].resource_id(), first.return_id());
  EXPECT_EQ(events[2].event_type(), "return.requested");
  EXPECT_EQ(events[3].event_type(), "return.cancelled");
  EXPECT_EQ(events[3].state(), "CANCELLED");
  EXPECT_EQ(events[3].request_id(), "cancel-1");
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LT(std::stoll(events[i - 1].event_id()), std::stoll(events[i].event_id()));
    EXPECT_LE(events[i - 1].create_time().seconds(), events[i].create_time().seconds());
  }
}

TEST_F(TimelineServiceTest, UnknownOrderIsNotFound) {
  v1::GetTimelineRequest request;
  request.set_order_id("nope");
  v1::GetTimelineResponse page;
  EXPECT_EQ(stubs_.timeline->GetTimeline(Context().get(), request, &page).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// Reads up to `count` events from StreamEvents after `after`, for at most `timeout`.
std::vector<v1::ChangeEvent> ReadEvents(client::ClientOptions options, int64_t after, size_t count,
                                        absl::Duration timeout, grpc::Status* finished = nullptr) {
  options.timeout = timeout;
  auto context = client::MakeContext(options);
  v1::StreamEventsRequest request;
  request.set_after_sequence(after);
  auto reader = v1::TimelineService::NewStub(client::MakeChannel(options))
                    ->StreamEvents(context.get(), request);
  std::vector<v1::ChangeEvent> events;
  v1::ChangeEvent event;
  while (events.size() < count && reader->Read(&event)) events.push_back(event);
  if (events.size() >= count) context->TryCancel();
  grpc::Status status = reader->Finish();
  if (finished != nullptr) *finished = status;
  return events;
}

TEST_F(TimelineServiceTest, ChangeFeedStreamsInOrderLiveAndResumesAcrossARestart) {
  ASSERT_TRUE(Upsert(SampleOrder("1001", 3)).ok());
  v1::Return first;
  ASSERT_TRUE(Create(SampleReturn("1001", "L1", 1), &first).ok());
  std::vector<v1::ChangeEvent> events = ReadEvents(options_, 0, 2, absl::Seconds(10));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].sequence(), 1);
  EXPECT_EQ(events[0].event_type(), "order.created");
  EXPECT_EQ(events[1].sequence(), 2);
  EXPECT_EQ(events[1].aggregate_id(), first.return_id());
  EXPECT_EQ(events[1].payload().fields().at("return_id").string_value(), first.return_id());

  // The consumer keeps cursor 2; the server crashes and comes back; the feed resumes after it.
  server_->Kill();
  RestartServer();
  ASSERT_TRUE(Create(SampleReturn("1001", "L2", 1)).ok());
  events = ReadEvents(options_, 2, 1, absl::Seconds(10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sequence(), 3);
  EXPECT_EQ(events[0].event_type(), "return.requested");

  // Live: an event committed while the stream is open arrives, well under a second later.
  absl::Time committed;
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(500));
    committed = absl::Now();
    EXPECT_TRUE(Create(SampleReturn("1001", "L1", 1)).ok());
  });
  events = ReadEvents(options_, 3, 1, absl::Seconds(10));
  const absl::Duration latency = absl::Now() - committed;
  writer.join();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sequence(), 4);
  EXPECT_LT(latency, absl::Seconds(2));  // polls every 200 ms; generous for a loaded machine
}

TEST_F(TimelineServiceTest, SigtermEndsOpenStreamsAtOnce) {
  grpc::Status stream_status;
  std::thread consumer([&] { ReadEvents(options_, 0, 1000, absl::Seconds(30), &stream_status); });
  absl::SleepFor(absl::Milliseconds(500));
  const absl::Time start = absl::Now();
  EXPECT_EQ(server_->Terminate(), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));  // not the 10 s drain
  consumer.join();
  EXPECT_TRUE(stream_status.ok()) << stream_status.error_message();
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

// Reads up to `count` events of WatchTimeline(order, after) within `timeout`.
std::vector<v1::TimelineEvent> Watch(client::ClientOptions options, const std::string& order_id,
                                     int64_t after, size_t count, absl::Duration timeout,
                                     grpc::Status* finished = nullptr) {
  options.timeout = timeout;
  auto context = client::MakeContext(options);
  v1::WatchTimelineRequest request;
  request.set_order_id(order_id);
  request.set_after_event_id(after);
  auto reader = v1::TimelineService::NewStub(client::MakeChannel(options))
                    ->WatchTimeline(context.get(), request);
  std::vector<v1::TimelineEvent> events;
  v1::TimelineEvent event;
  while (events.size() < count && reader->Read(&event)) events.push_back(event);
  if (events.size() >= count) context->TryCancel();
  grpc::Status status = reader->Finish();
  if (finished != nullptr) *finished = status;
  return events;
}

TEST_F(TimelineServiceTest, WatchTimelineSendsTheTimelineThenNewEventsLive) {
  ASSERT_TRUE(Upsert(SampleOrder("1001", 3)).ok());
  ASSERT_TRUE(Upsert(SampleOrder("2002", 3)).ok());
  auto events = Watch(options_, "1001", 0, 1, absl::Seconds(10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type(), "order.created");
  const int64_t after = std::stoll(events[0].event_id());

  // Live, from another returnsd on the same database: the NOTIFY crosses replicas.
  ServerProcess other(db_.url());
  client::ClientOptions other_options = options_;
  other_options.address = other.address();
  absl::Time committed;
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(500));
    ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(other_options))
                    ->CreateReturn(client::MakeContext(other_options).get(),
                                   SampleReturn("2002", "L1", 1),
                                   std::make_unique<v1::Return>().get())
                    .ok());  // another order: not for this watcher
    ASSERT_TRUE(v1::ReturnService::NewStub(client::MakeChannel(other_options))
                    ->CreateReturn(client::MakeContext(other_options).get(),
                                   SampleReturn("1001", "L1", 1),
                                   std::make_unique<v1::Return>().get())
                    .ok());
    committed = absl::Now();
  });
  events = Watch(options_, "1001", after, 1, absl::Seconds(10));
  const absl::Time received = absl::Now();
  writer.join();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type(), "return.requested");
  EXPECT_EQ(events[0].order_id(), "1001");
  // Woken by NOTIFY at commit: well under a second (the benchmark measures it properly).
  EXPECT_LT(received - committed, absl::Seconds(1));
  std::cout << "WatchTimeline: response -> watcher " << absl::FormatDuration(received - committed)
            << "\n";

  // Resuming after the last event id sends only what came after.
  events = Watch(options_, "1001", std::stoll(events[0].event_id()), 1, absl::Seconds(1));
  EXPECT_TRUE(events.empty());
}

TEST_F(TimelineServiceTest, WatchTimelineOfAnUnknownOrderIsNotFound) {
  grpc::Status status;
  auto events = Watch(options_, "nope", 0, 1, absl::Seconds(5), &status);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  Watch(options_, "", 0, 1, absl::Seconds(5), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "order_id");
}

}  // namespace
}  // namespace returns::testing
