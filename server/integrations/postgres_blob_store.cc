#include "integrations/postgres_blob_store.h"

#include "storage/claim_store.h"

namespace returns::integrations {

// The chunks are claim_evidence_chunks rows, written and read through storage::ClaimStore (which
// sends and reads the bytes as hex text).
void PostgresBlobStore::Write(storage::Tx& tx, const std::string& merchant_id,
                              const std::string& blob_id, int64_t offset, absl::string_view data) {
  storage::ClaimStore(tx).WriteEvidenceChunk(merchant_id, blob_id, offset, data);
}

std::string PostgresBlobStore::Read(storage::Tx& tx, const std::string& merchant_id,
                                    const std::string& blob_id, int64_t offset, int64_t length) {
  return storage::ClaimStore(tx).ReadEvidenceBytes(merchant_id, blob_id, offset, length);
}

int64_t PostgresBlobStore::Delete(storage::Tx& tx, const std::string& merchant_id,
                                  const std::string& blob_id, int64_t max_parts) {
  return storage::ClaimStore(tx).DeleteEvidenceChunks(merchant_id, blob_id, max_parts);
}

}  // namespace returns::integrations
