#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "exchange_fixture.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"

namespace returns::testing {

// The whole journey over real gRPC: the storefront (options_), a support agent and a
// carrier/warehouse, each with its own key and role.
class JourneyTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    support_ = options_;
    support_.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_SUPPORT);
    carrier_ = options_;
    carrier_.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER);
  }

  // `options` with this test's current server address (it changes across a restart).
  client::ClientOptions At(client::ClientOptions options) const {
    options.address = options_.address;
    return options;
  }

  v1::Return Approve(const std::string& return_id) {
    v1::ApproveReturnRequest request;
    request.set_request_id("approve-" + return_id);
    request.set_return_id(return_id);
    v1::Return approved;
    auto options = At(support_);
    grpc::Status status =
        v1::ReturnService::NewStub(client::MakeChannel(options))
            ->ApproveReturn(client::MakeContext(options).get(), request, &approved);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return approved;
  }

  // The return's label once its durable job issued it (waits up to 10 s).
  v1::Shipment WaitForLabel(const std::string& return_id) {
    for (int i = 0; i < 100; ++i) {
      for (const auto& s : Shipments("", return_id)) {
        if (s.direction() == v1::SHIPMENT_DIRECTION_INBOUND &&
            s.state() == v1::SHIPMENT_STATE_LABEL_CREATED) {
          return s;
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "no label for return " << return_id;
    return {};
  }

  std::vector<v1::Shipment> Shipments(const std::string& order_id,
                                      const std::string& return_id = "") {
    v1::ListShipmentsRequest request;
    request.set_order_id(order_id);
    request.set_return_id(return_id);
    v1::ListShipmentsResponse response;
    EXPECT_TRUE(Logistics(options_)->ListShipments(Context().get(), request, &response).ok());
    return {response.shipments().begin(), response.shipments().end()};
  }

  std::unique_ptr<v1::LogisticsService::Stub> Logistics(const client::ClientOptions& options) {
    return v1::LogisticsService::NewStub(client::MakeChannel(At(options)));
  }

  static v1::CarrierEvent Scan(const std::string& tracking, const std::string& id,
                               v1::CarrierEventCode code, int64_t minutes) {
    v1::CarrierEvent event;
    event.set_carrier("sandbox");
    event.set_tracking_number(tracking);
    event.set_event_id(id);
    event.set_code(code);
    event.mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600 + minutes * 60);
    event.set_location("Hub " + id);
    return event;
  }

  std::vector<v1::CarrierEventOutcome> Record(const std::vector<v1::CarrierEvent>& events) {
    v1::RecordCarrierEventsRequest request;
    for (const auto& e : events) *request.add_events() = e;
    v1::RecordCarrierEventsResponse response;
    grpc::Status status = Logistics(carrier_)->RecordCarrierEvents(
        client::MakeContext(At(carrier_)).get(), request, &response);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    std::vector<v1::CarrierEventOutcome> outcomes;
    for (const auto& r : response.results()) outcomes.push_back(r.outcome());
    return outcomes;
  }

  v1::Return Receive(const std::string& return_id, const std::string& line,
                     v1::ItemCondition condition, const std::string& request_id = "") {
    v1::ReceiveReturnRequest request;
    request.set_request_id(request_id.empty() ? "receive-" + return_id : request_id);
    request.set_return_id(return_id);
    auto* item = request.add_items();
    item->set_order_line_id(line);
    item->set_condition(condition);
    v1::Return received;
    auto options = At(carrier_);
    grpc::Status status =
        v1::ReturnService::NewStub(client::MakeChannel(options))
            ->ReceiveReturn(client::MakeContext(options).get(), request, &received);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return received;
  }

  // The order's whole timeline, every page.
  std::vector<v1::TimelineEvent> Timeline(const std::string& order_id) {
    v1::GetTimelineRequest request;
    request.set_order_id(order_id);
    request.set_page_size(7);  // several pages
    std::vector<v1::TimelineEvent> events;
    do {
      v1::GetTimelineResponse page;
      EXPECT_TRUE(stubs_.timeline->GetTimeline(Context().get(), request, &page).ok());
      events.insert(events.end(), page.events().begin(), page.events().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return events;
  }

  static std::vector<std::string> Types(const std::vector<v1::TimelineEvent>& events) {
    std::vector<std::string> types;
    for (const auto& e : events) types.push_back(e.event_type());
    return types;
  }

  // True when `expected` appears in `actual` in this order (other events may come between).
  static bool InOrder(const std::vector<std::string>& expected,
                      const std::vector<std::string>& actual) {
    size_t i = 0;
    for (const auto& type : actual) {
      if (i < expected.size() && type == expected[i]) ++i;
    }
    return i == expected.size();
  }

  static int CountOf(const std::vector<std::string>& types, const std::string& type) {
    return static_cast<int>(std::count(types.begin(), types.end(), type));
  }

  client::ClientOptions support_;
  client::ClientOptions carrier_;
};

}  // namespace returns::testing
