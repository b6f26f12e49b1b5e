#include "e2e_fixture.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace returns::testing {

void E2ETest::TearDown() {
  const auto broken = CheckInvariants(db_.url());
  EXPECT_TRUE(broken.empty()) << Describe(broken);
}

void E2ETest::SetUp() {
  TestMerchant merchant = CreateTestMerchant(db_.url());
  merchant_id_ = merchant.merchant_id;
  admin_key_ = merchant.admin_key;
  storefront_key_ = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_STOREFRONT);
  server_ = std::make_unique<ServerProcess>(db_.url());
  options_.address = server_->address();
  options_.api_key = storefront_key_;
  options_.timeout = absl::Seconds(20);
  stubs_ = StubsFor(options_);
}

E2ETest::Stubs E2ETest::StubsFor(const client::ClientOptions& options) {
  auto channel = client::MakeChannel(options);
  return Stubs{v1::OrderService::NewStub(channel), v1::ReturnService::NewStub(channel),
               v1::TimelineService::NewStub(channel)};
}

grpc::Status E2ETest::Upsert(const v1::UpsertOrderRequest& request, v1::Order* order) {
  v1::Order unused;
  return stubs_.orders->UpsertOrder(Context().get(), request, order ? order : &unused);
}

grpc::Status E2ETest::Create(const v1::CreateReturnRequest& request, v1::Return* ret) {
  v1::Return unused;
  return stubs_.returns->CreateReturn(Context().get(), request, ret ? ret : &unused);
}

client::ClientOptions E2ETest::OtherMerchant(const std::string& name) {
  client::ClientOptions other = options_;
  other.api_key = CreateTestApiKey(db_.url(), CreateTestMerchant(db_.url(), name).merchant_id,
                                   v1::API_KEY_ROLE_STOREFRONT);
  return other;
}

void E2ETest::RestartServer() {
  server_ = std::make_unique<ServerProcess>(db_.url());
  options_.address = server_->address();
  stubs_ = StubsFor(options_);
}

std::pair<int, std::string> RunReturnsctl(const std::vector<std::string>& args,
                                          const std::string& input) {
  std::string command = RETURNSCTL_PATH;
  for (const std::string& arg : args)
    command += " '" + absl::StrReplaceAll(arg, {{"'", "'\\''"}}) + "'";
  char path[] = "/tmp/returnsctl-input-XXXXXX";
  const int fd = mkstemp(path);
  (void)!write(fd, input.data(), input.size());
  close(fd);
  command += absl::StrCat(" < ", path, " 2>&1");
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  char chunk[4096];
  while (size_t n = fread(chunk, 1, sizeof(chunk), pipe)) output.append(chunk, n);
  const int status = pclose(pipe);
  unlink(path);
  return {WEXITSTATUS(status), output};
}

}  // namespace returns::testing
