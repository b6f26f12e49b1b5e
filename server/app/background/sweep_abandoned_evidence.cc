#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/claims/claims.h"
#include "app/background/background_passes.h"
#include "storage/claim_store.h"
#include "storage/transaction.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

constexpr int kUploadsPerCall = 100;
constexpr int kFilesPerPurge = 20;
constexpr int64_t kPartsPerPurge = 1000;

}  // namespace

absl::StatusOr<EvidenceSweepResult> SweepAbandonedEvidence(const AppContext& app) {
  EvidenceSweepResult result;
  const absl::Duration idle = app.evidence_quotas.upload_expiry;
  // Abandoned uploads: EXPIRED. The upload's row is locked (a chunk in flight holds it, and the
  // upload is skipped until the next sweep); its claim is read, not locked, so this never waits
  // behind a claim's call.
  absl::Status status = storage::RunTransaction(
      *app.pool, "ExpireAbandonedEvidence", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        result.expired = 0;
        storage::ClaimStore claims(tx);
        for (const storage::AbandonedEvidence& upload :
             claims.ClaimAbandonedEvidence(absl::ToDoubleSeconds(idle), kUploadsPerCall)) {
          const std::string& merchant_id = upload.merchant_id;
          claims.ExpireEvidence(merchant_id, upload.evidence_id);
          RecordClaimTransition(tx, SweeperCall(merchant_id), upload.order_id, upload.claim_id,
                                event_type::kClaimEvidenceExpired,
                                absl::StrCat("Evidence upload expired unfinished (no chunk for ",
                                             absl::FormatDuration(idle), "); its ",
                                             upload.received_bytes, " bytes are deleted"));
          ++result.expired;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  // The bytes of expired files, through the blob store they are kept in (files of another store
  // wait for a server configured with it).
  int files = 0;
  int64_t budget = kPartsPerPurge;
  status = storage::RunTransaction(
      *app.pool, "PurgeExpiredEvidence", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        result.parts_deleted = 0;
        result.purged = 0;
        files = 0;
        budget = kPartsPerPurge;
        integrations::BlobStore& store = EvidenceStore(app);
        storage::ClaimStore claims(tx);
        for (const storage::EvidenceToPurge& file :
             claims.LockEvidenceToPurge(store.name(), kFilesPerPurge)) {
          if (budget == 0) break;
          ++files;
          const std::string& merchant_id = file.merchant_id;
          const std::string& evidence_id = file.evidence_id;
          const int64_t deleted = store.Delete(tx, merchant_id, evidence_id, budget);
          result.parts_deleted += deleted;
          if (deleted < budget) {
            claims.EvidencePurged(merchant_id, evidence_id);
            ++result.purged;
          }
          budget -= deleted;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  result.more = result.expired == kUploadsPerCall || files == kFilesPerPurge || budget == 0;
  return result;
}

}  // namespace returns::app
