// TimelineService.GetTimeline end to end.
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
