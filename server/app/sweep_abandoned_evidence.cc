#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/claims.h"
#include "app/use_cases.h"
#include "storage/transaction.h"

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
        for (const auto& row : tx.Exec("claims/claim_abandoned_evidence", absl::ToDoubleSeconds(idle),
                                       kUploadsPerCall)) {
          const std::string merchant_id = row[0].as<std::string>();
          tx.Exec("claims/expire_evidence", merchant_id, row[1].as<std::string>());
          RecordClaimTransition(
              tx, SweeperCall(merchant_id), row[3].as<std::string>(), row[2].as<std::string>(),
              "claim.evidence_expired",
              absl::StrCat("Evidence upload expired unfinished (no chunk for ", absl::FormatDuration(idle),
                           "); its ", row[4].as<int64_t>(), " bytes are deleted"));
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
        for (const auto& row : tx.Exec("claims/lock_evidence_to_purge", store.name(), kFilesPerPurge)) {
          if (budget == 0) break;
          ++files;
          const std::string merchant_id = row[0].as<std::string>();
          const std::string evidence_id = row[1].as<std::string>();
          const int64_t deleted = store.Delete(tx, merchant_id, evidence_id, budget);
          result.parts_deleted += deleted;
          if (deleted < budget) {
            tx.Exec("claims/evidence_purged", merchant_id, evidence_id);
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
