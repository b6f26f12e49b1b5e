#include "integrations/postgres_blob_store.h"

#include "absl/strings/escaping.h"

namespace returns::integrations {

// Bytes travel as hex text (decode/encode in SQL): libpqxx 6.4 sends prepared parameters as
// text, and a NUL byte would end a text parameter.
void PostgresBlobStore::Write(storage::Tx& tx, const std::string& merchant_id,
                              const std::string& blob_id, int64_t offset, absl::string_view data) {
  tx.Exec("claims/write_evidence_chunk", merchant_id, blob_id, offset, absl::BytesToHexString(data));
}

std::string PostgresBlobStore::Read(storage::Tx& tx, const std::string& merchant_id,
                                    const std::string& blob_id, int64_t offset, int64_t length) {
  std::string out;
  for (const auto& row : tx.Exec("claims/read_evidence_bytes", merchant_id, blob_id, offset, length)) {
    out += absl::HexStringToBytes(row[0].as<std::string>());
  }
  return out;
}

int64_t PostgresBlobStore::Delete(storage::Tx& tx, const std::string& merchant_id,
                                  const std::string& blob_id, int64_t max_parts) {
  return tx.Exec("claims/delete_evidence_chunks", merchant_id, blob_id, max_parts).affected_rows();
}

}  // namespace returns::integrations
