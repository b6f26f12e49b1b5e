// A merchant's claim evidence as a whole (docs/claims.md, "Quotas and expiry"): open uploads and
// stored bytes past the merchant's limits are refused RESOURCE_EXHAUSTED with a QuotaFailure, and
// the sweeper expires an upload that got no chunk for the expiry time and deletes its chunks, in
// batches.
#include "api/status_mapping.h"
#include "claims_fixture.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace returns::testing {
namespace {

const absl::Duration kDay = absl::Hours(24);

class EvidenceQuotaTest : public ClaimsTest {
 protected:
  // A DAMAGED claim on a new delivered order `order_id`, waiting for its photo.
  std::string DamagedClaim(const std::string& order_id) {
    OrderWithParcel(order_id);
    Delivered(order_id, kDay);
    auto claim = File(order_id, v1::CLAIM_TYPE_DAMAGED);
    EXPECT_TRUE(claim.ok()) << claim.status();
    return claim.ok() ? claim->claim_id() : "";
  }

  // One chunk: a new upload (no `upload`) or the next chunk of `upload`, not the last, so the
  // upload stays open.
  absl::StatusOr<v1::ClaimEvidence> Chunk(const std::string& claim_id, const std::string& data,
                                          const v1::ClaimEvidence* upload = nullptr) {
    v1::AddClaimEvidenceRequest request;
    request.set_request_id(absl::StrCat("chunk-", ++requests_));
    request.set_claim_id(claim_id);
    if (upload == nullptr) {
      request.set_file_name("parcel.png");
    } else {
      request.set_evidence_id(upload->evidence_id());
      request.set_offset(upload->size_bytes());
    }
    request.set_data(data);
    auto call = Call(request.request_id());
    v1::ClaimEvidence evidence;
    absl::Status status = app::AddClaimEvidence(app_, call, request, &evidence);
    if (!status.ok()) return status;
    return evidence;
  }

  // The QuotaFailure a client receives for `status`, on `subject`.
  static void ExpectQuotaFailure(const absl::Status& status, const std::string& subject) {
    const grpc::Status sent = api::ToGrpcStatus(status);
    EXPECT_EQ(sent.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(sent.error_details()));
    int found = 0;
    for (const auto& any : details.details()) {
      google::rpc::QuotaFailure failure;
      if (!any.Is<google::rpc::QuotaFailure>() || !any.UnpackTo(&failure)) continue;
      ++found;
      ASSERT_EQ(failure.violations_size(), 1);
      EXPECT_EQ(failure.violations(0).subject(), subject);
      EXPECT_FALSE(failure.violations(0).description().empty());
    }
    EXPECT_EQ(found, 1) << details.DebugString();
  }

  absl::StatusOr<app::EvidenceSweepResult> Sweep() { return app::SweepAbandonedEvidence(app_); }
};

TEST_F(EvidenceQuotaTest, OpenUploadsPastTheMerchantsLimitAreRefusedWithAQuotaFailure) {
  app_.evidence_quotas.max_open_uploads = 2;
  const std::string claim_id = DamagedClaim("q-1");
  const std::string photo = PhotoBytes(300);
  ASSERT_TRUE(Chunk(claim_id, photo.substr(0, 100)).ok());
  ASSERT_TRUE(Chunk(claim_id, photo.substr(0, 100)).ok());
  const absl::Status refused = Chunk(claim_id, photo.substr(0, 100)).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_EQ(Reason(refused), "EVIDENCE_QUOTA_EXCEEDED");
  EXPECT_EQ(MetadataOf(refused)["quota"], "open_uploads");
  EXPECT_EQ(MetadataOf(refused)["limit"], "2");
  EXPECT_EQ(MetadataOf(refused)["used"], "2");
  ExpectQuotaFailure(refused, "merchants/" + merchant_id_);
  EXPECT_EQ(Count("claim_evidence"), "2");  // nothing of the refused call stayed

  // The limit is the merchant's, over all its claims.
  const std::string other = DamagedClaim("q-2");
  EXPECT_EQ(Reason(Chunk(other, photo.substr(0, 100)).status()), "EVIDENCE_QUOTA_EXCEEDED");
  // A file sent whole in one call is never an open upload: it is taken.
  auto whole = Upload(other, photo, photo.size());
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->state(), v1::EVIDENCE_STATE_COMPLETE);
  // 0 is no limit (a claim of its own: `other` was decided by its complete photo).
  app_.evidence_quotas.max_open_uploads = 0;
  const std::string third = DamagedClaim("q-3");
  auto opened = Chunk(third, photo.substr(0, 100));
  EXPECT_TRUE(opened.ok()) << opened.status();
}

TEST_F(EvidenceQuotaTest, StoredBytesPastTheMerchantsLimitAreRefused) {
  app_.evidence_quotas.max_stored_bytes = 1000;
  const std::string claim_id = DamagedClaim("q-3");
  const std::string photo = PhotoBytes(1200);
  auto upload = Chunk(claim_id, photo.substr(0, 600));
  ASSERT_TRUE(upload.ok()) << upload.status();
  const absl::Status refused = Chunk(claim_id, photo.substr(600, 500), &*upload).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_EQ(Reason(refused), "EVIDENCE_QUOTA_EXCEEDED");
  EXPECT_EQ(MetadataOf(refused)["quota"], "stored_bytes");
  EXPECT_EQ(MetadataOf(refused)["limit"], "1000");
  EXPECT_EQ(MetadataOf(refused)["used"], "600");
  ExpectQuotaFailure(refused, "merchants/" + merchant_id_);
  EXPECT_EQ(Scalar("SELECT received_bytes FROM claim_evidence"), "600");  // the chunk was not kept

  // Up to the limit exactly is fine; then even a new upload's first bytes are refused.
  auto grown = Chunk(claim_id, photo.substr(600, 400), &*upload);
  ASSERT_TRUE(grown.ok()) << grown.status();
  EXPECT_EQ(grown->size_bytes(), 1000);
  EXPECT_EQ(Reason(Chunk(claim_id, photo.substr(0, 100)).status()), "EVIDENCE_QUOTA_EXCEEDED");
  // A raised limit lets the upload go on and complete.
  app_.evidence_quotas.max_stored_bytes = 2000;
  v1::AddClaimEvidenceRequest last;
  last.set_request_id("last-q-3");
  last.set_claim_id(claim_id);
  last.set_evidence_id(grown->evidence_id());
  last.set_offset(1000);
  last.set_data(photo.substr(1000));
  last.set_last(true);
  auto call = Call(last.request_id());
  v1::ClaimEvidence complete;
  const absl::Status completed = app::AddClaimEvidence(app_, call, last, &complete);
  ASSERT_TRUE(completed.ok()) << completed;
  EXPECT_EQ(complete.state(), v1::EVIDENCE_STATE_COMPLETE);
  EXPECT_EQ(complete.size_bytes(), 1200);
}

TEST_F(EvidenceQuotaTest, TheSweeperExpiresAnAbandonedUploadAndDeletesItsChunks) {
  app_.evidence_quotas.max_open_uploads = 1;
  const std::string claim_id = DamagedClaim("q-4");
  const std::string photo = PhotoBytes(4000);
  auto upload = Chunk(claim_id, photo.substr(0, 1000));
  ASSERT_TRUE(upload.ok()) << upload.status();
  upload = Chunk(claim_id, photo.substr(1000, 1000), &*upload);
  ASSERT_TRUE(upload.ok()) << upload.status();
  upload = Chunk(claim_id, photo.substr(2000, 1000), &*upload);
  ASSERT_TRUE(upload.ok()) << upload.status();
  EXPECT_EQ(Count("claim_evidence_chunks"), "3");
  EXPECT_EQ(Reason(Chunk(claim_id, photo.substr(0, 100)).status()), "EVIDENCE_QUOTA_EXCEEDED");

  // Idle for less than the expiry (24 hours by default): left alone.
  Scalar("UPDATE claim_evidence SET last_chunk_time = now() - interval '23 hours'");
  auto swept = Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->expired, 0);
  EXPECT_EQ(Count("claim_evidence_chunks"), "3");

  // Its last chunk 25 hours ago: EXPIRED, its chunks deleted, on the claim's timeline.
  Scalar("UPDATE claim_evidence SET last_chunk_time = now() - interval '25 hours'");
  swept = Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->expired, 1);
  EXPECT_EQ(swept->parts_deleted, 3);
  EXPECT_EQ(swept->purged, 1);
  EXPECT_FALSE(swept->more);
  EXPECT_EQ(Count("claim_evidence_chunks"), "0");
  EXPECT_EQ(
      Scalar("SELECT state || ' ' || purge_pending || ' ' || received_bytes FROM claim_evidence"),
      "EXPIRED false 3000");
  EXPECT_EQ(Count("timeline_events WHERE event_type = 'claim.evidence_expired'"), "1");
  EXPECT_EQ(Count("outbox_events WHERE type = 'claim.evidence_expired'"), "1");
  v1::GetClaimRequest get;
  get.set_claim_id(claim_id);
  v1::Claim claim;
  ASSERT_TRUE(app::GetClaim(app_, Call(), get, &claim).ok());
  ASSERT_EQ(claim.evidence_size(), 1);
  EXPECT_EQ(claim.evidence(0).state(), v1::EVIDENCE_STATE_EXPIRED);
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_AWAITING_EVIDENCE);  // still waiting for a photo

  // A late chunk is refused; the upload takes no more and cannot be downloaded.
  const absl::Status late = Chunk(claim_id, photo.substr(3000, 500), &*upload).status();
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition) << late;
  EXPECT_EQ(Reason(late), "INVALID_STATE");
  EXPECT_EQ(MetadataOf(late)["state"], "EXPIRED");
  v1::DownloadClaimEvidenceRequest download;
  download.set_evidence_id(upload->evidence_id());
  v1::DownloadClaimEvidenceResponse downloaded;
  const absl::Status refused = app::DownloadClaimEvidence(app_, Call(), download, &downloaded);
  EXPECT_EQ(MetadataOf(refused)["state"], "EXPIRED") << refused;

  // It no longer counts: a new upload may start. A second sweep has nothing to do.
  EXPECT_TRUE(Chunk(claim_id, photo.substr(0, 100)).ok());
  swept = Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->expired + swept->purged, 0);
  EXPECT_EQ(Count("claim_evidence WHERE state = 'UPLOADING'"), "1");
}

TEST_F(EvidenceQuotaTest, AnExpiredUploadOfManyChunksIsDeletedInBatches) {
  app_.evidence_quotas.upload_expiry = absl::Minutes(10);  // --evidence_upload_expiry_seconds
  const std::string claim_id = DamagedClaim("q-5");
  auto upload = Chunk(claim_id, PhotoBytes(100));
  ASSERT_TRUE(upload.ok()) << upload.status();
  // 2500 one-byte chunks more, as a client sending tiny chunks leaves them (written here at once:
  // 2500 calls would only be slower), the last 11 minutes ago.
  Scalar(
      "INSERT INTO claim_evidence_chunks (merchant_id, evidence_id, byte_offset, data) "
      "SELECT merchant_id, evidence_id, 99 + g, '\\x00'::bytea FROM claim_evidence, "
      "generate_series(1, 2500) g");
  Scalar(
      "UPDATE claim_evidence SET received_bytes = 2600, last_chunk_time = now() - interval '11 "
      "minutes'");

  auto swept = Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->expired, 1);
  EXPECT_EQ(swept->parts_deleted, 1000);  // a batch
  EXPECT_EQ(swept->purged, 0);
  EXPECT_TRUE(swept->more);
  EXPECT_EQ(Count("claim_evidence_chunks"), "1501");
  EXPECT_EQ(Scalar("SELECT state || ' ' || purge_pending FROM claim_evidence"), "EXPIRED true");
  int64_t deleted = swept->parts_deleted;
  for (int round = 0; round < 5 && swept->more; ++round) {
    swept = Sweep();
    ASSERT_TRUE(swept.ok()) << swept.status();
    EXPECT_EQ(swept->expired, 0);
    deleted += swept->parts_deleted;
  }
  EXPECT_FALSE(swept->more);
  EXPECT_EQ(deleted, 2501);
  EXPECT_EQ(Count("claim_evidence_chunks"), "0");
  EXPECT_EQ(Scalar("SELECT state || ' ' || purge_pending FROM claim_evidence"), "EXPIRED false");
}

}  // namespace
}  // namespace returns::testing
