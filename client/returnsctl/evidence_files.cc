#include "returnsctl/evidence_files.h"

#include <openssl/evp.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/escaping.h"
#include "terminal_text.h"

namespace returns::client {

std::string Sha256HexOf(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

bool ReadWholeFile(const std::string& path, std::string* bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  bytes->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

void PrintProgress(const std::string& name, int64_t done, int64_t total) {
  std::cerr << TerminalSafe(name) << ": " << done << "/" << total << " bytes ("
            << (total > 0 ? done * 100 / total : 100) << "%)\n";
}

}  // namespace returns::client
