#include <algorithm>

#include "absl/strings/str_cat.h"
#include "app/claims/claims.h"
#include "app/claims/claims_use_cases.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "storage/claim_store.h"

namespace returns::app {

absl::Status DownloadClaimEvidence(const AppContext& app, const CallContext& call,
                                   const v1::DownloadClaimEvidenceRequest& request,
                                   v1::DownloadClaimEvidenceResponse* response) {
  const int64_t want = request.max_bytes() == 0 ? kMaxEvidenceChunkBytes : request.max_bytes();
  return storage::RunTransaction(
      *app.pool, "DownloadClaimEvidence", call.deadline, [&](storage::Tx& tx) {
        std::optional<storage::StoredEvidence> stored =
            storage::ClaimStore(tx).GetEvidence(call.merchant_id, request.evidence_id());
        if (!stored.has_value()) return NotFoundError("evidence", request.evidence_id());
        *response->mutable_evidence() = stored->evidence;
        const v1::ClaimEvidence& evidence = response->evidence();
        if (evidence.state() != v1::EVIDENCE_STATE_COMPLETE) {
          const std::string state = stored->state;
          return PreconditionError(reason::kInvalidState,
                                   state == "EXPIRED"
                                       ? "the upload expired unfinished; its bytes are deleted"
                                       : "the upload is not complete",
                                   {{"state", state}});
        }
        if (request.offset() > evidence.size_bytes()) {
          return InvalidField("offset", absl::StrCat("is past the end of the file (",
                                                     evidence.size_bytes(), " bytes)"));
        }
        if (absl::Status s = RequireBlobStore(app, stored->blob_store); !s.ok()) return s;
        const int64_t length = std::min(want, evidence.size_bytes() - request.offset());
        response->set_data(EvidenceStore(app).Read(tx, call.merchant_id, request.evidence_id(),
                                                   request.offset(), length));
        response->set_end_of_file(request.offset() +
                                      static_cast<int64_t>(response->data().size()) >=
                                  evidence.size_bytes());
        return absl::OkStatus();
      });
}

}  // namespace returns::app
