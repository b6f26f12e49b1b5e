#include <algorithm>

#include "absl/strings/str_cat.h"
#include "app/claims.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status DownloadClaimEvidence(const AppContext& app, const CallContext& call,
                                   const v1::DownloadClaimEvidenceRequest& request,
                                   v1::DownloadClaimEvidenceResponse* response) {
  const int64_t want = request.max_bytes() == 0 ? kMaxEvidenceChunkBytes : request.max_bytes();
  return storage::RunTransaction(*app.pool, "DownloadClaimEvidence", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("claims/get_evidence", call.merchant_id, request.evidence_id());
    if (rows.empty()) return NotFoundError("evidence", request.evidence_id());
    *response->mutable_evidence() = storage::EvidenceFromRow(rows[0]);
    const v1::ClaimEvidence& evidence = response->evidence();
    if (evidence.state() != v1::EVIDENCE_STATE_COMPLETE) {
      const std::string state = rows[0][4].as<std::string>();
      return PreconditionError(reason::kInvalidState,
                               state == "EXPIRED" ? "the upload expired unfinished; its bytes are deleted"
                                                  : "the upload is not complete",
                               {{"state", state}});
    }
    if (request.offset() > evidence.size_bytes()) {
      return InvalidField("offset", absl::StrCat("is past the end of the file (", evidence.size_bytes(),
                                                 " bytes)"));
    }
    if (absl::Status s = RequireBlobStore(app, rows[0][11].as<std::string>()); !s.ok()) return s;
    const int64_t length = std::min(want, evidence.size_bytes() - request.offset());
    response->set_data(
        EvidenceStore(app).Read(tx, call.merchant_id, request.evidence_id(), request.offset(), length));
    response->set_end_of_file(request.offset() + static_cast<int64_t>(response->data().size()) >=
                              evidence.size_bytes());
    return absl::OkStatus();
  });
}

}  // namespace returns::app
