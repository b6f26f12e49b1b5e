#include "app/claims/evidence_quota.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "storage/claim_store.h"

namespace returns::app {

absl::Status CheckEvidenceQuota(const AppContext& app, storage::Tx& tx,
                                const std::string& merchant_id, int64_t adding, bool new_upload) {
  const EvidenceQuotas& quotas = app.evidence_quotas;
  const bool counts_uploads = new_upload && quotas.max_open_uploads > 0;
  const bool counts_bytes = adding > 0 && quotas.max_stored_bytes > 0;
  if (!counts_uploads && !counts_bytes) return absl::OkStatus();
  const storage::MerchantEvidenceUsage usage = storage::ClaimStore(tx).EvidenceUsage(merchant_id);
  const int open_uploads = usage.open_uploads;
  const int64_t stored_bytes = usage.stored_bytes;
  const std::string subject = absl::StrCat("merchants/", merchant_id);
  if (counts_uploads && open_uploads >= quotas.max_open_uploads) {
    return QuotaError(
        reason::kEvidenceQuotaExceeded, subject,
        absl::StrCat("the merchant has ", open_uploads, " evidence uploads open, its limit is ",
                     quotas.max_open_uploads,
                     "; finish or abandon some (an upload with no chunk expires) first"),
        {{"quota", "open_uploads"},
         {"limit", absl::StrCat(quotas.max_open_uploads)},
         {"used", absl::StrCat(open_uploads)}});
  }
  if (counts_bytes && stored_bytes + adding > quotas.max_stored_bytes) {
    return QuotaError(
        reason::kEvidenceQuotaExceeded, subject,
        absl::StrCat("the merchant's evidence holds ", stored_bytes, " bytes, its limit is ",
                     quotas.max_stored_bytes, "; this chunk adds ", adding),
        {{"quota", "stored_bytes"},
         {"limit", absl::StrCat(quotas.max_stored_bytes)},
         {"used", absl::StrCat(stored_bytes)}});
  }
  return absl::OkStatus();
}

}  // namespace returns::app
