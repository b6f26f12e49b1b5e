#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "storage/transaction.h"

// Where evidence bytes live (ClaimService.AddClaimEvidence). The default keeps them in
// PostgreSQL (PostgresBlobStore), in the caller's transaction, so a chunk is stored exactly when
// its call commits. A store outside the database (an S3-compatible bucket) implements the same
// interface: Write puts the part under "<merchant>/<blob>/<offset>" before the transaction commits
// (a rolled-back call leaves an orphan part that a retry overwrites), Read reads across parts.
// Blob ids are evidence ids; every call is scoped by the merchant, so a store can never hand one
// merchant's bytes to another.
namespace returns::integrations {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // The name stored with each file (claim_evidence.blob_store), so files stay readable after the
  // default store changes.
  virtual std::string name() const = 0;
  // Stores `data` at `offset` of the blob. The caller checked the offset follows what is stored.
  virtual void Write(storage::Tx& tx, const std::string& merchant_id, const std::string& blob_id,
                     int64_t offset, absl::string_view data) = 0;
  // Up to `length` bytes of the blob from `offset` (fewer at its end).
  virtual std::string Read(storage::Tx& tx, const std::string& merchant_id,
                           const std::string& blob_id, int64_t offset, int64_t length) = 0;
  // Deletes up to `max_parts` parts of the blob (an expired upload's, app::SweepAbandonedEvidence)
  // and returns how many it deleted: fewer than `max_parts` means none is left. Called again
  // until then, so a store may delete in any order.
  virtual int64_t Delete(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& blob_id, int64_t max_parts) = 0;
};

}  // namespace returns::integrations
