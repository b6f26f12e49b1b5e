#include "api/request_validation.h"

#include <functional>

#include <gtest/gtest.h>

#include "absl/time/clock.h"

#include "domain/errors.h"
#include "sample_orders.h"

namespace returns::api {
namespace {

using returns::testing::SampleOrder;
using returns::testing::SampleReturn;

// Applies `mutate` to a valid request and expects INVALID_ARGUMENT naming `field`.
template <typename Request>
void ExpectBadField(Request request, const std::function<void(Request&)>& mutate,
                    const std::string& field) {
  ASSERT_TRUE(Validate(request).ok());
  mutate(request);
  absl::Status status = Validate(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
  EXPECT_EQ(FieldOf(status).value_or("<none>"), field);
}

TEST(RequestValidationTest, UpsertOrderNamesEachBadField) {
  using R = v1::UpsertOrderRequest;
  R valid = SampleOrder("1001");
  ExpectBadField<R>(
      valid, [](R& r) { r.clear_request_id(); }, "request_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.set_request_id(std::string(129, 'x')); }, "request_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.clear_order(); }, "order");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->set_order_id(""); }, "order.order_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->set_order_id("has space"); }, "order.order_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->set_currency_code("eur"); }, "order.currency_code");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->clear_lines(); }, "order.lines");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->mutable_lines(1)->set_quantity(0); },
      "order.lines[1].quantity");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->mutable_lines(1)->set_line_id("L1"); },
      "order.lines[1].line_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->mutable_lines(0)->set_sku(""); }, "order.lines[0].sku");
  ExpectBadField<R>(
      valid,
      [](R& r) {
        r.mutable_order()->mutable_lines(0)->mutable_unit_price()->set_currency_code("USD");
      },
      "order.lines[0].unit_price.currency_code");
  ExpectBadField<R>(
      valid,
      [](R& r) { r.mutable_order()->mutable_lines(0)->mutable_unit_price()->set_amount_minor(-1); },
      "order.lines[0].unit_price.amount_minor");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->mutable_shipping_address()->set_country_code("gbr"); },
      "order.shipping_address.country_code");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_order()->mutable_delivered_time()->set_seconds(-5); },
      "order.delivered_time");
  ExpectBadField<R>(
      valid,
      [](R& r) {
        for (int i = 0; i < 501; ++i) {
          auto* line = r.mutable_order()->add_lines();
          *line = r.order().lines(0);
          line->set_line_id("X" + std::to_string(i));
        }
      },
      "order.lines");
}

TEST(RequestValidationTest, CreateReturnNamesEachBadField) {
  using R = v1::CreateReturnRequest;
  R valid = SampleReturn("1001");
  ExpectBadField<R>(
      valid, [](R& r) { r.clear_request_id(); }, "request_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.clear_order_id(); }, "order_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.clear_lines(); }, "lines");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_quantity(-1); }, "lines[0].quantity");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_quantity(100001); }, "lines[0].quantity");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->clear_order_line_id(); }, "lines[0].order_line_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_reason(v1::RETURN_REASON_UNSPECIFIED); },
      "lines[0].reason");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_reason(static_cast<v1::ReturnReason>(99)); },
      "lines[0].reason");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_resolution(v1::RESOLUTION_UNSPECIFIED); },
      "lines[0].resolution");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_resolution(v1::RESOLUTION_EXCHANGE); },
      "lines[0].replacement_sku");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_replacement_sku("TEE-M"); },
      "lines[0].replacement_sku");
  ExpectBadField<R>(
      valid, [](R& r) { *r.add_lines() = r.lines(0); }, "lines[1].order_line_id");
  ExpectBadField<R>(
      valid, [](R& r) { r.mutable_lines(0)->set_reason_note(std::string(1001, 'n')); },
      "lines[0].reason_note");
}

TEST(RequestValidationTest, ReadsAndCancelNameBadFields) {
  v1::GetReturnRequest get;
  get.set_return_id("not-a-uuid");
  EXPECT_EQ(FieldOf(Validate(get)), "return_id");
  v1::CancelReturnRequest cancel;
  cancel.set_request_id("r1");
  cancel.set_return_id("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a11");
  EXPECT_TRUE(Validate(cancel).ok());
  cancel.set_reason(std::string(1001, 'x'));
  EXPECT_EQ(FieldOf(Validate(cancel)), "reason");
  v1::ListReturnsRequest list;
  list.set_state(static_cast<v1::ReturnState>(42));
  EXPECT_EQ(FieldOf(Validate(list)), "state");
  list.set_state(v1::RETURN_STATE_REQUESTED);
  list.set_page_size(-3);
  EXPECT_EQ(FieldOf(Validate(list)), "page_size");
  v1::GetTimelineRequest timeline;
  EXPECT_EQ(FieldOf(Validate(timeline)), "order_id");
  v1::ListOrdersRequest orders;
  orders.set_page_token(std::string(1025, 't'));
  EXPECT_EQ(FieldOf(Validate(orders)), "page_token");
}

// A scan has happened: one dated ahead of the clock (past the 5 minutes of skew) would open a
// claim window or start a deadline before its time, so it is refused, naming the event.
TEST(RequestValidationTest, CarrierEventsDatedInTheFutureAreRefused) {
  using R = v1::RecordCarrierEventsRequest;
  R valid;
  auto* event = valid.add_events();
  event->set_carrier("sandbox");
  event->set_tracking_number("TRK-1");
  event->set_event_id("e1");
  event->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
  event->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Minutes(4)));
  ExpectBadField<R>(
      valid,
      [](R& r) {
        r.mutable_events(0)->mutable_event_time()->set_seconds(
            absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
      },
      "events[0].event_time");
}

TEST(RequestValidationTest, RecognisesUuids) {
  EXPECT_TRUE(IsUuid("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a11"));
  EXPECT_FALSE(IsUuid("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a1"));
  EXPECT_FALSE(IsUuid("5f0c3a52x8e8b-4a8e-9d7e-3f2b2d0c1a11"));
  EXPECT_FALSE(IsUuid("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a1g"));
}

// KPI days are strict YYYY-MM-DD from 2000-01-01 to 2999-12-31 (domain/calendar_day.h), and a
// range given whole is ordered and at most 366 days.
TEST(RequestValidationTest, GetKpisNamesEachBadDay) {
  using R = v1::GetKpisRequest;
  R valid;
  valid.set_start_date("2026-01-01");
  valid.set_end_date("2026-01-31");
  for (const char* bad : {"0001-01-01", "0000-01-01", "1999-12-31", "3000-01-01", "2024-02-30",
                          " 2024-01-01", "2024-1-01", "2024-01-01x", "+2024-01-01"}) {
    ExpectBadField<R>(
        valid, [&](R& r) { r.set_start_date(bad); }, "start_date");
    ExpectBadField<R>(
        valid, [&](R& r) { r.set_end_date(bad); }, "end_date");
  }
  ExpectBadField<R>(
      valid, [](R& r) { r.set_start_date("2026-02-01"); }, "start_date");  // after end_date
  ExpectBadField<R>(
      valid, [](R& r) { r.set_start_date("2025-01-30"); }, "start_date");  // 367 days
  R longest = valid;
  longest.set_start_date("2025-01-31");  // 366 days
  EXPECT_TRUE(Validate(longest).ok());
  R leap = valid;
  leap.set_start_date("2024-02-29");
  leap.set_end_date("2024-02-29");
  EXPECT_TRUE(Validate(leap).ok());
  EXPECT_TRUE(Validate(R()).ok());  // both default
}

}  // namespace
}  // namespace returns::api
