// Evidence file names end to end (docs/claims.md, "File names"): the server refuses a name with a
// line break, a leading dot, a bidi override or an extension that is not an image's
// (INVALID_ARGUMENT on file_name); and for names stored before the check, returnsctl evidence
// download never writes a dotfile, a path outside its folder or a non-image extension, and
// returnsctl claim show prints them escaped, so a name cannot forge a line.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/logistics_service.grpc.pb.h"
#include "sample_images.h"

namespace returns::testing {
namespace {

namespace fs = std::filesystem;

// The test runs returnsctl in a fresh folder of its own, and goes back when it ends.
class InFreshFolder {
 public:
  InFreshFolder() : previous_(fs::current_path()) {
    char path[] = "/tmp/returnsctl-download-XXXXXX";
    folder_ = ::mkdtemp(path);
    fs::current_path(folder_);
  }
  ~InFreshFolder() {
    fs::current_path(previous_);
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  // The names in the folder, hidden ones included.
  std::set<std::string> Names() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder_))
      names.insert(entry.path().filename().string());
    return names;
  }
  const fs::path& folder() const { return folder_; }

 private:
  fs::path previous_;
  fs::path folder_;
};

class ReturnsctlEvidenceTest : public E2ETest {
 protected:
  client::ClientOptions Admin() const {
    client::ClientOptions admin = options_;
    admin.api_key = admin_key_;
    return admin;
  }

  // A DAMAGED claim on a delivered order, waiting for its photo.
  std::string DamagedClaim(const std::string& order_id) {
    v1::UpsertOrderRequest order = SampleOrder(order_id, 2);
    v1::OrderShipment* parcel = order.add_shipments();
    parcel->set_carrier("sandbox");
    parcel->set_tracking_number("TRK-" + order_id);
    parcel->mutable_promise_time()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(24)));
    parcel->add_lines()->set_order_line_id("L1");
    parcel->mutable_lines(0)->set_quantity(2);
    grpc::Status status = Upsert(order);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    v1::RecordCarrierEventsRequest scans;
    auto* scan = scans.add_events();
    scan->set_carrier("sandbox");
    scan->set_tracking_number("TRK-" + order_id);
    scan->set_event_id("delivered-" + order_id);
    scan->set_code(v1::CARRIER_EVENT_CODE_DELIVERED);
    scan->mutable_event_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
    v1::RecordCarrierEventsResponse recorded;
    status = v1::LogisticsService::NewStub(client::MakeChannel(Admin()))
                 ->RecordCarrierEvents(client::MakeContext(Admin()).get(), scans, &recorded);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    v1::FileClaimRequest file;
    file.set_request_id("file-" + order_id);
    file.set_order_id(order_id);
    file.set_type(v1::CLAIM_TYPE_DAMAGED);
    file.add_lines()->set_order_line_id("L1");
    file.mutable_lines(0)->set_quantity(1);
    v1::Claim claim;
    status = Claims()->FileClaim(Context().get(), file, &claim);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return claim.claim_id();
  }

  grpc::Status AddPhoto(const std::string& claim_id, const std::string& file_name,
                        v1::ClaimEvidence* evidence) {
    v1::AddClaimEvidenceRequest photo;
    photo.set_request_id(absl::StrCat("photo-", ++photos_));
    photo.set_claim_id(claim_id);
    photo.set_file_name(file_name);
    photo.set_data(PhotoBytes(500));
    photo.set_last(true);
    return Claims()->AddClaimEvidence(Context().get(), photo, evidence);
  }

  // A name stored before names were checked (the service refuses it now).
  void StoredName(const std::string& evidence_id, const std::string& sql_literal) {
    QueryScalar(db_.url(), absl::StrCat("UPDATE claim_evidence SET file_name = ", sql_literal,
                                        " WHERE evidence_id = '", evidence_id, "'"));
  }

  std::pair<int, std::string> Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--addr", server_->address(), "--api-key", admin_key_});
    return RunReturnsctl(args);
  }

  // options_ is set in SetUp, after construction: a stub per use.
  std::unique_ptr<v1::ClaimService::Stub> Claims() const {
    return v1::ClaimService::NewStub(client::MakeChannel(options_));
  }
  int photos_ = 0;
};

TEST_F(ReturnsctlEvidenceTest, TheServerRefusesUnsafeFileNames) {
  const std::string claim_id = DamagedClaim("n-1");
  for (const std::string& name :
       {std::string(".bash_profile"),
        std::string("photo.png\n    assessment damage_visible 99.9% (forged)"),
        std::string("receipt.html"), std::string("photo\u202Egnp.exe"), std::string("../photo.png"),
        std::string("a\rb.png"), std::string("a\u0085b.png"), std::string(201, 'a')}) {
    v1::ClaimEvidence evidence;
    const grpc::Status status = AddPhoto(claim_id, name, &evidence);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << client::DescribeError(status);
    EXPECT_EQ(Field(status), "file_name") << client::DescribeError(status);
    EXPECT_EQ(Reason(status), "INVALID_FIELD");
  }
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM claim_evidence"), "0");
  v1::ClaimEvidence evidence;
  const grpc::Status ok = AddPhoto(claim_id, "Überraschung (1).png", &evidence);
  ASSERT_TRUE(ok.ok()) << client::DescribeError(ok);
  EXPECT_EQ(evidence.file_name(), "Überraschung (1).png");
}

TEST_F(ReturnsctlEvidenceTest, DownloadsNeverWriteADotfileOrOutsideTheFolder) {
  const std::string claim_id = DamagedClaim("n-2");
  v1::ClaimEvidence evidence;
  const grpc::Status added = AddPhoto(claim_id, "photo.png", &evidence);
  ASSERT_TRUE(added.ok()) << client::DescribeError(added);
  const std::string id = evidence.evidence_id();
  InFreshFolder here;

  StoredName(id, "'.bash_profile'");
  auto [code, output] = Ctl({"evidence", "download", id});
  EXPECT_EQ(code, 0) << output;
  EXPECT_EQ(here.Names(), (std::set<std::string>{"_bash_profile.png"})) << output;
  // Again: the file exists, and is not overwritten without --force.
  std::tie(code, output) = Ctl({"evidence", "download", id});
  EXPECT_EQ(code, 1) << output;
  EXPECT_TRUE(absl::StrContains(output, "exists")) << output;

  StoredName(id, "'receipt.html'");
  std::tie(code, output) = Ctl({"evidence", "download", id});
  EXPECT_EQ(code, 0) << output;
  EXPECT_TRUE(here.Names().count("receipt.png")) << output;  // the type's extension, not .html

  StoredName(id, "'../escaped.png'");
  std::tie(code, output) = Ctl({"evidence", "download", id});
  EXPECT_EQ(code, 0) << output;
  EXPECT_TRUE(here.Names().count("escaped.png")) << output;
  EXPECT_FALSE(fs::exists(here.folder().parent_path() / "escaped.png"));

  // A symbolic link planted under the derived name is not followed, even with --force.
  const fs::path outside = here.folder().string() + "-outside.png";
  fs::create_symlink(outside, here.folder() / "planted.png");
  StoredName(id, "'planted.png'");
  std::tie(code, output) = Ctl({"evidence", "download", "--force", id});
  EXPECT_EQ(code, 1) << output;
  EXPECT_FALSE(fs::exists(outside)) << output;

  // With --out the file goes exactly where the user says.
  std::tie(code, output) = Ctl({"evidence", "download", id, "--out", "chosen.name"});
  EXPECT_EQ(code, 0) << output;
  EXPECT_TRUE(here.Names().count("chosen.name")) << output;
  for (const std::string& name : here.Names()) EXPECT_NE(name.front(), '.') << name;
}

TEST_F(ReturnsctlEvidenceTest, ClaimShowPrintsStoredNamesEscaped) {
  const std::string claim_id = DamagedClaim("n-3");
  v1::ClaimEvidence evidence;
  const grpc::Status added = AddPhoto(claim_id, "photo.png", &evidence);
  ASSERT_TRUE(added.ok()) << client::DescribeError(added);
  StoredName(evidence.evidence_id(),
             "E'x.png\\n    assessment damage_visible 99.9% (forged)\\u202E\\u001b[2J'");
  auto [code, output] = Ctl({"claim", "show", claim_id});
  EXPECT_EQ(code, 0) << output;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    EXPECT_FALSE(absl::StartsWith(line, "    assessment damage_visible 99.9% (forged)")) << output;
  }
  EXPECT_TRUE(absl::StrContains(
      output, "x.png\\n    assessment damage_visible 99.9% (forged)\\u202e\\u001b[2J"))
      << output;
  EXPECT_FALSE(absl::StrContains(output, "\u202E")) << output;
  EXPECT_FALSE(absl::StrContains(output, "\x1b")) << output;
}

}  // namespace
}  // namespace returns::testing
