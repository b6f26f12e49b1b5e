#pragma once

#include "integrations/blob_store.h"

namespace returns::integrations {

// Evidence bytes in PostgreSQL: one row per uploaded chunk (claim_evidence_chunks), written in
// the uploading call's transaction. The default store.
class PostgresBlobStore : public BlobStore {
 public:
  std::string name() const override { return "postgres"; }
  void Write(storage::Tx& tx, const std::string& merchant_id, const std::string& blob_id,
             int64_t offset, absl::string_view data) override;
  std::string Read(storage::Tx& tx, const std::string& merchant_id, const std::string& blob_id,
                   int64_t offset, int64_t length) override;
  int64_t Delete(storage::Tx& tx, const std::string& merchant_id, const std::string& blob_id,
                 int64_t max_parts) override;
};

}  // namespace returns::integrations
