#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "storage/transaction.h"

// The merchant-wide limits on claim evidence (docs/claims.md, "Quotas and expiry").
namespace returns::app {

// OK unless the merchant's evidence, with `adding` more bytes and, for a new upload, one more
// open upload, would pass app.evidence_quotas: then RESOURCE_EXHAUSTED EVIDENCE_QUOTA_EXCEEDED
// with a QuotaFailure on "merchants/<merchant_id>" and metadata quota (stored_bytes or
// open_uploads), limit and used. Counts what is committed, in the caller's transaction
// (claims/evidence_usage.sql): no lock is shared across the merchant, so calls running at the same
// moment may pass the limit together by at most one chunk (1 MiB) and one upload each.
absl::Status CheckEvidenceQuota(const AppContext& app, storage::Tx& tx,
                                const std::string& merchant_id, int64_t adding, bool new_upload);

}  // namespace returns::app
