// returnsctl order import: orders in bulk from JSON lines; a bad line is reported by number and
// the rest go on; with --request-id R, line N is sent as R-N, so importing the file again with
// the same R replays.
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "e2e_fixture.h"

namespace returns::testing {
namespace {

using ReturnsctlImportTest = E2ETest;

TEST_F(ReturnsctlImportTest, OrdersAreImportedOnceAndABadLineIsNamed) {
  const std::string line =
      R"({"orderId": "imp-ID", "currencyCode": "EUR", "lines": [{"lineId": "L1", "sku": "TEE",
    "quantity": 1, "unitPrice": {"currencyCode": "EUR", "amountMinor": "1000"}}]})";
  std::string file;
  for (const char* id : {"1", "2", "3"})
    file += absl::StrReplaceAll(line, {{"\n", ""}, {"ID", id}}) + "\n";
  file += "{\"orderId\": \"imp-4\", \"noSuchField\": 1}\n";
  const std::vector<std::string> args = {
      "--addr", server_->address(), "--api-key", admin_key_, "--request-id", "batch-7",
      "order",  "import",           "--file",    "-"};
  auto [code, output] = RunReturnsctl(args, file);
  EXPECT_EQ(code, 1) << output;  // one line failed
  EXPECT_TRUE(absl::StrContains(output, "3 order(s) synced, 1 failed")) << output;
  EXPECT_TRUE(absl::StrContains(output, "line 4")) << output;
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM orders WHERE order_id LIKE 'imp-%'"), "3");
  const std::string versions =
      QueryScalar(db_.url(), "SELECT sum(version) FROM orders WHERE order_id LIKE 'imp-%'");
  // Again: the same request_ids, so replays - no order changes version.
  std::tie(code, output) = RunReturnsctl(args, file);
  EXPECT_TRUE(absl::StrContains(output, "3 order(s) synced")) << output;
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT sum(version) FROM orders WHERE order_id LIKE 'imp-%'"),
            versions);
  EXPECT_EQ(QueryScalar(db_.url(),
                        "SELECT count(*) FROM idempotency_keys WHERE request_id LIKE 'batch-7-%'"),
            "3");
}

}  // namespace
}  // namespace returns::testing
