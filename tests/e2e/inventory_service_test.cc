// InventoryService end to end: stock levels synced in, read back, and never set below what
// exchange tokens hold.
#include "e2e_fixture.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::testing {
namespace {

class InventoryServiceTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    stub_ = v1::InventoryService::NewStub(client::MakeChannel(options_));
  }
  static v1::SetInventoryLevelsRequest Levels(
      std::initializer_list<std::pair<const char*, int>> levels) {
    v1::SetInventoryLevelsRequest request;
    request.set_request_id(client::NewRequestId());
    for (const auto& [sku, on_hand] : levels) {
      auto* level = request.add_levels();
      level->set_sku(sku);
      level->set_on_hand(on_hand);
      level->mutable_unit_price()->set_currency_code("EUR");
      level->mutable_unit_price()->set_amount_minor(2500);
    }
    return request;
  }
  grpc::Status Set(const v1::SetInventoryLevelsRequest& request,
                   v1::SetInventoryLevelsResponse* response = nullptr) {
    v1::SetInventoryLevelsResponse unused;
    return stub_->SetInventoryLevels(Context().get(), request, response ? response : &unused);
  }
  std::unique_ptr<v1::InventoryService::Stub> stub_;
};

TEST_F(InventoryServiceTest, SetGetAndListLevels) {
  v1::SetInventoryLevelsResponse set;
  ASSERT_TRUE(Set(Levels({{"TEE-M", 10}, {"TEE-L", 0}}), &set).ok());
  ASSERT_EQ(set.levels_size(), 2);
  EXPECT_EQ(set.levels(0).sku(), "TEE-M");
  EXPECT_EQ(set.levels(0).available(), 10);
  EXPECT_EQ(set.levels(1).on_hand(), 0);

  v1::GetInventoryLevelRequest get;
  get.set_sku("TEE-M");
  v1::InventoryLevel level;
  ASSERT_TRUE(stub_->GetInventoryLevel(Context().get(), get, &level).ok());
  EXPECT_EQ(level.on_hand(), 10);
  EXPECT_EQ(level.reserved(), 0);
  EXPECT_EQ(level.unit_price().amount_minor(), 2500);

  ASSERT_TRUE(Set(Levels({{"TEE-M", 7}})).ok());  // absolute, not a delta
  ASSERT_TRUE(stub_->GetInventoryLevel(Context().get(), get, &level).ok());
  EXPECT_EQ(level.on_hand(), 7);

  v1::ListInventoryLevelsRequest list;
  list.set_page_size(1);
  std::vector<std::string> skus;
  do {
    v1::ListInventoryLevelsResponse page;
    ASSERT_TRUE(stub_->ListInventoryLevels(Context().get(), list, &page).ok());
    for (const auto& l : page.levels()) skus.push_back(l.sku());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(skus, (std::vector<std::string>{"TEE-L", "TEE-M"}));

  get.set_sku("NOPE");
  EXPECT_EQ(stub_->GetInventoryLevel(Context().get(), get, &level).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(InventoryServiceTest, StockNeverGoesBelowWhatIsReserved) {
  ASSERT_TRUE(Set(Levels({{"TEE-M", 10}})).ok());
  QueryScalar(db_.url(), "UPDATE inventory_levels SET reserved = 4 WHERE sku = 'TEE-M'");
  grpc::Status status = Set(Levels({{"CAP", 3}, {"TEE-M", 3}}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "BELOW_RESERVED");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["field"], "levels[1].on_hand");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["reserved"], "4");
  // Nothing of the refused request was applied.
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM inventory_levels WHERE sku = 'CAP'"), "0");
  v1::SetInventoryLevelsResponse ok;
  ASSERT_TRUE(Set(Levels({{"TEE-M", 4}}), &ok).ok());
  EXPECT_EQ(ok.levels(0).available(), 0);
  // Even a direct write cannot over-reserve.
  EXPECT_THROW(
      QueryScalar(db_.url(), "UPDATE inventory_levels SET reserved = 5 WHERE sku = 'TEE-M'"),
      std::exception);
  // The reservation was faked (no token holds it): undone, so the invariants hold at TearDown.
  QueryScalar(db_.url(), "UPDATE inventory_levels SET reserved = 0 WHERE sku = 'TEE-M'");
}

TEST_F(InventoryServiceTest, BadInputNamesTheFieldAndRolesApply) {
  v1::SetInventoryLevelsRequest bad = Levels({{"TEE-M", 1}, {"TEE-M", 2}});
  grpc::Status status = Set(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "levels[1].sku");
  bad = Levels({{"TEE-M", -1}});
  EXPECT_EQ(Field(Set(bad)), "levels[0].on_hand");
  bad = Levels({{"TEE-M", 1}});
  bad.mutable_levels(0)->mutable_unit_price()->set_currency_code("euro");
  EXPECT_EQ(Field(Set(bad)), "levels[0].unit_price.currency_code");

  // A warehouse (CARRIER key) may sync stock; a SUPPORT key may only read it.
  client::ClientOptions carrier = options_;
  carrier.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER);
  v1::SetInventoryLevelsResponse response;
  EXPECT_TRUE(v1::InventoryService::NewStub(client::MakeChannel(carrier))
                  ->SetInventoryLevels(client::MakeContext(carrier).get(), Levels({{"TEE-M", 5}}),
                                       &response)
                  .ok());
  client::ClientOptions support = options_;
  support.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_SUPPORT);
  EXPECT_EQ(v1::InventoryService::NewStub(client::MakeChannel(support))
                ->SetInventoryLevels(client::MakeContext(support).get(), Levels({{"TEE-M", 5}}),
                                     &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(InventoryServiceTest, ReplayAnswersTheOriginalLevels) {
  v1::SetInventoryLevelsRequest request = Levels({{"TEE-M", 10}});
  v1::SetInventoryLevelsResponse first, second;
  ASSERT_TRUE(Set(request, &first).ok());
  ASSERT_TRUE(Set(Levels({{"TEE-M", 3}})).ok());
  ASSERT_TRUE(Set(request, &second).ok());  // a late retry of the first sync
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT on_hand FROM inventory_levels"),
            "3");  // no second effect
}

}  // namespace
}  // namespace returns::testing
