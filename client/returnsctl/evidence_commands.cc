// returnsctl evidence download: a claim's evidence file, written here under a safe name (or
// where --out says), and checked against its SHA-256.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "evidence_file_name.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "returnsctl/evidence_files.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing.
struct EvidenceValues {
  std::string evidence_id, out;
  bool force = false;
};

// Where a download goes without --out: a name derived from the customer's, in the current
// directory, never hidden, never a path, with the extension of the sniffed type
// (evidence_file_name.h).
std::string DefaultEvidencePath(const v1::ClaimEvidence& evidence) {
  return LocalEvidenceFileName(evidence.file_name(), evidence.content_type(),
                               evidence.evidence_id());
}

// A dangling symbolic link counts as existing: writing through it would create its target.
bool RefuseOverwrite(const std::string& path, bool force) {
  std::error_code ignored;
  if (force || !std::filesystem::exists(std::filesystem::symlink_status(path, ignored))) {
    return false;
  }
  std::cerr << "error: " << S(path) << " exists; use --force to overwrite it\n";
  return true;
}

// Writes the download to the derived name in the current directory: never through a symbolic
// link (a link planted there could point anywhere), and without --force never over a file that
// appeared since the check. Returns false (errno set) on failure.
bool WriteHere(const std::string& path, const std::string& bytes, bool force) {
  const int fd = ::open(
      path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0666);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

// Reads the whole file with DownloadClaimEvidence, offset by offset until end_of_file; returns
// the exit code.
int FetchEvidence(const Globals& g, v1::ClaimService::Stub& stub, const std::string& evidence_id,
                  v1::ClaimEvidence* evidence, std::string* bytes) {
  v1::DownloadClaimEvidenceRequest request;
  request.set_evidence_id(evidence_id);
  while (true) {
    request.set_offset(static_cast<int64_t>(bytes->size()));
    v1::DownloadClaimEvidenceResponse response;
    const int rc = Invoke(g, false, [&](grpc::ClientContext* c) {
      return stub.DownloadClaimEvidence(c, request, &response);
    });
    if (rc != 0) return rc;
    *evidence = response.evidence();
    if (evidence->state() == v1::EVIDENCE_STATE_EXPIRED) {
      std::cerr << "error: evidence " << S(evidence_id)
                << " expired unfinished; its bytes are deleted\n";
      return 1;
    }
    if (evidence->state() != v1::EVIDENCE_STATE_COMPLETE) {
      std::cerr << "error: evidence " << S(evidence_id) << " is still uploading ("
                << evidence->size_bytes() << " bytes so far)\n";
      return 1;
    }
    bytes->append(response.data());
    PrintProgress(OrDash(evidence->file_name()), static_cast<int64_t>(bytes->size()),
                  evidence->size_bytes());
    if (response.end_of_file()) return 0;
    if (response.data().empty()) {  // no progress and no end: looping would never finish
      std::cerr << "error: the service sent no bytes at offset " << bytes->size()
                << " before the end of the file\n";
      return 1;
    }
  }
}

void DownloadEvidence(const EvidenceValues& v, CommandContext& context) {
  if (!v.out.empty() && RefuseOverwrite(v.out, v.force)) {  // before downloading anything
    context.rc = 1;
    return;
  }
  v1::ClaimService::Stub& claims = *context.services().claims;
  v1::ClaimEvidence evidence;
  std::string bytes;
  context.rc = FetchEvidence(context.g, claims, v.evidence_id, &evidence, &bytes);
  if (context.rc != 0) return;
  // With --out the file goes exactly where the user said; without it, to a derived name here.
  const std::string path = v.out.empty() ? DefaultEvidencePath(evidence) : v.out;
  if (RefuseOverwrite(path, v.force)) {
    context.rc = 1;
    return;
  }
  if (v.out.empty()) {
    if (!WriteHere(path, bytes, v.force)) {
      std::cerr << "error: cannot write " << S(path) << ": " << std::strerror(errno)
                << (errno == ELOOP ? " (a symbolic link: not followed)" : "") << "\n";
      context.rc = 1;
      return;
    }
  } else {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
      std::cerr << "error: cannot write " << S(path) << "\n";
      context.rc = 1;
      return;
    }
  }
  // Hash what is on disk, not what was received: that is what the operator will open.
  std::string written;
  const std::string sha256 = ReadWholeFile(path, &written) ? Sha256HexOf(written) : "";
  if (context.g.json) {
    PrintJson(evidence);
  } else {
    std::cout << "wrote " << S(path) << " (" << S(OrDash(evidence.content_type())) << ", "
              << written.size() << " bytes)\nsha256 " << OrDash(sha256) << "\n";
  }
  if (sha256.empty() || sha256 != evidence.sha256()) {
    std::cerr << "error: SHA-256 mismatch: " << S(path) << " has " << OrDash(sha256)
              << ", the evidence " << S(OrDash(evidence.sha256())) << "\n";
    context.rc = 1;
    return;
  }
  if (!context.g.json) std::cout << "sha256 matches the evidence\n";
}

}  // namespace

void AddEvidenceCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<EvidenceValues>();
  auto* evidence = app.add_subcommand("evidence", "claim evidence files")->require_subcommand(1);
  auto* download =
      evidence->add_subcommand("download", "download an evidence file and check its SHA-256");
  download->add_option("evidence_id", v->evidence_id)->required();
  download->add_option("-o,--out", v->out,
                       "file to write (default: here, a safe name from the evidence's file name "
                       "with the extension of its type)");
  download->add_flag("--force", v->force, "overwrite the file if it exists");
  download->callback([v, &context] { DownloadEvidence(*v, context); });
}

}  // namespace returns::client
