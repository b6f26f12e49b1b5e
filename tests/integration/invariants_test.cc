// The invariant checker (tests/support/invariants.h) finds what it is meant to find: a database
// built by the real use cases holds every invariant, and each break made by hand below is
// reported by name with the row at fault, then mended so the next one is seen alone.
#include "invariants.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/use_cases.h"
#include "app_fixture.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class InvariantsTest : public AppTest {
 protected:
  // The one broken invariant's name, or what else was found.
  std::string Broken() {
    const auto broken = CheckInvariants(db_.url());
    if (broken.size() != 1) return absl::StrCat(broken.size(), " broken:\n", Describe(broken));
    return broken[0].name + (broken[0].rows.empty() ? " (no row)" : "");
  }
};

TEST_F(InvariantsTest, FindsEachBreakByNameAndHoldsOtherwise) {
  v1::Order order;
  auto sync = Call("sync");
  ASSERT_TRUE(app::UpsertOrder(app_, sync, SampleOrder("1001", 3), &order).ok());
  v1::Return ret;
  auto request = SampleReturn("1001", "L1", 1);
  auto create = Call(request.request_id());
  ASSERT_TRUE(app::CreateReturn(app_, create, request, &ret).ok());
  SequenceFeed();
  ASSERT_EQ(Describe(CheckInvariants(db_.url())), "");

  Scalar("UPDATE order_lines SET returned_quantity = 2 WHERE line_id = 'L1'");
  EXPECT_TRUE(absl::StartsWith(Broken(), "an order line's returned quantity")) << Broken();
  Scalar("UPDATE order_lines SET returned_quantity = 1 WHERE line_id = 'L1'");

  Scalar(absl::StrCat(
      "INSERT INTO inventory_levels (merchant_id, sku, on_hand, reserved, currency_code, "
      "unit_price_minor) VALUES ('",
      merchant_id_, "', 'GHOST', 5, 2, 'EUR', 100)"));
  EXPECT_TRUE(absl::StartsWith(Broken(), "reserved stock is what live")) << Broken();
  Scalar("UPDATE inventory_levels SET reserved = 0 WHERE sku = 'GHOST'");

  // A second refund request of the same return.
  for (int i = 0; i < 2; ++i) {
    Scalar(
        "INSERT INTO timeline_events (merchant_id, order_id, resource_type, resource_id, "
        "event_type) "
        "SELECT merchant_id, order_id, 'return', resource_id, 'return.refund_requested' "
        "FROM timeline_events WHERE event_type = 'return.requested'");
  }
  {
    const std::string found = Describe(CheckInvariants(db_.url()));
    EXPECT_TRUE(absl::StrContains(found, "requested at most once")) << found;
    // These events have no feed rows either: that is reported too.
    EXPECT_TRUE(absl::StrContains(found, "exactly one change-feed row")) << found;
  }
  Scalar("DELETE FROM timeline_events WHERE event_type = 'return.refund_requested'");

  // A hole in the feed.
  Scalar(
      "UPDATE outbox_events SET sequence = sequence + 10 WHERE sequence = (SELECT max(sequence) "
      "FROM outbox_events)");
  EXPECT_TRUE(absl::StartsWith(Broken(), "each merchant's feed sequences")) << Broken();
  Scalar(
      "UPDATE outbox_events SET sequence = sequence - 10 WHERE sequence = (SELECT max(sequence) "
      "FROM outbox_events)");

  // A feed row whose resource is not there.
  Scalar(
      "UPDATE outbox_events SET aggregateid = '00000000-0000-0000-0000-000000000000' WHERE type = "
      "'return.requested'");
  EXPECT_TRUE(absl::StartsWith(Broken(), "every change-feed row names a resource")) << Broken();
  Scalar(absl::StrCat("UPDATE outbox_events SET aggregateid = '", ret.return_id(),
                      "' WHERE type = 'return.requested'"));

  // A stored response that no longer parses.
  Scalar("UPDATE idempotency_keys SET response = '\\xff'::bytea WHERE method = 'CreateReturn'");
  EXPECT_TRUE(absl::StartsWith(Broken(), "every stored CreateReturn")) << Broken();
  Scalar(absl::StrCat("UPDATE idempotency_keys SET response = decode('",
                      absl::BytesToHexString(ret.SerializeAsString()),
                      "', 'hex') WHERE method = 'CreateReturn'"));

  // A job dead-lettered without its error.
  Scalar(absl::StrCat(
      "INSERT INTO jobs (merchant_id, kind, dedup_key, order_id, subject_id, state) VALUES ('",
      merchant_id_, "', 'NOTIFY_CUSTOMER', 'k', '1001', 's', 'DEAD')"));
  EXPECT_TRUE(absl::StartsWith(Broken(), "no job lost")) << Broken();
  Scalar("UPDATE jobs SET last_error = 'gave up'");

  // A resolved return whose bonus is not what its lines earned.
  Scalar("UPDATE returns SET resolve_time = now(), bonus_credit_minor = 100");
  EXPECT_TRUE(absl::StartsWith(Broken(), "a resolved return's bonus")) << Broken();
  Scalar("UPDATE returns SET resolve_time = NULL, bonus_credit_minor = 0");

  // Today marked as rolled up (its figures would stay partial), then a rollup row without a mark.
  const std::string merchant_today =
      absl::StrCat("('", merchant_id_, "', (now() AT TIME ZONE 'UTC')::date");
  Scalar(
      absl::StrCat("INSERT INTO kpi_rollup_days (merchant_id, day) VALUES ", merchant_today, ")"));
  EXPECT_TRUE(absl::StartsWith(Broken(), "KPI rollups only of days over")) << Broken();
  Scalar("DELETE FROM kpi_rollup_days");
  Scalar(absl::StrCat("INSERT INTO kpi_daily (merchant_id, day, sku, currency_code) VALUES ",
                      merchant_today, " - 3, '', 'EUR')"));
  EXPECT_TRUE(absl::StartsWith(Broken(), "KPI rollups only of days over")) << Broken();
  Scalar("DELETE FROM kpi_daily");

  EXPECT_EQ(Describe(CheckInvariants(db_.url())), "");
}

}  // namespace
}  // namespace returns::testing
