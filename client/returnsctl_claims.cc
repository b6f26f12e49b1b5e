// returnsctl commands for claims about the order's own parcels (filing with photos, the review
// queue, reviews, evidence downloads) and for the audit trail of automated decisions (listing
// with filters, a person's override).
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "cli_common.h"
#include "domain/evidence_rules.h"
#include "evidence_file_name.h"
#include "returns/v1/admin_service.grpc.pb.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returns/v1/order_service.grpc.pb.h"
#include "google/protobuf/util/time_util.h"

namespace returns::client {
namespace {

// Small enough that a dropped connection costs little to resend, far below the service's 1 MiB
// chunk limit.
constexpr int64_t kUploadChunkBytes = 256 * 1024;

// ---- Text helpers ----------------------------------------------------------------------------

// An enum value's name without its prefix ("CLAIM_STATE_IN_REVIEW" -> "IN_REVIEW"). StripPrefix
// rather than substr: an unknown value (a newer server) has an empty name, and substr would throw.
std::string EnumText(const std::string& name, absl::string_view prefix) {
  return name.empty() ? "?" : std::string(absl::StripPrefix(name, prefix));
}

std::string TypeText(v1::ClaimType type) { return EnumText(v1::ClaimType_Name(type), "CLAIM_TYPE_"); }
std::string StateText(v1::ClaimState state) { return EnumText(v1::ClaimState_Name(state), "CLAIM_STATE_"); }
std::string OutcomeText(v1::DecisionOutcome outcome) {
  return EnumText(v1::DecisionOutcome_Name(outcome), "DECISION_OUTCOME_");
}
std::string ResolutionText(v1::ClaimResolution resolution) {
  if (resolution == v1::CLAIM_RESOLUTION_UNSPECIFIED) return "-";
  return EnumText(v1::ClaimResolution_Name(resolution), "CLAIM_RESOLUTION_");
}

// An unset Money has no currency; "0.00 " would read as a real zero.
std::string MoneyOrDash(const v1::Money& m) { return m.currency_code().empty() ? "-" : Money(m); }

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// Users type "in_review" or "IN_REVIEW"; the enums are upper case with a prefix.
bool ParseClaimType(const std::string& text, v1::ClaimType* out) {
  return v1::ClaimType_Parse("CLAIM_TYPE_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::CLAIM_TYPE_UNSPECIFIED;
}
bool ParseClaimState(const std::string& text, v1::ClaimState* out) {
  return v1::ClaimState_Parse("CLAIM_STATE_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::CLAIM_STATE_UNSPECIFIED;
}
bool ParseResolution(const std::string& text, v1::ClaimResolution* out) {
  return v1::ClaimResolution_Parse("CLAIM_RESOLUTION_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::CLAIM_RESOLUTION_UNSPECIFIED;
}
bool ParseOutcome(const std::string& text, v1::DecisionOutcome* out) {
  return v1::DecisionOutcome_Parse("DECISION_OUTCOME_" + absl::AsciiStrToUpper(text), out) &&
         *out != v1::DECISION_OUTCOME_UNSPECIFIED;
}

// Options that take one of a few words, case-insensitively (validated again when parsed).
CLI::Validator OneOf(std::vector<std::string> words) { return CLI::IsMember(std::move(words), CLI::ignore_case); }

// "L1:2" -> a ClaimLine. The last ':' splits, so a line id may itself hold ':'.
bool ParseClaimLine(const std::string& text, v1::ClaimLine* line, std::string* error) {
  const size_t colon = text.rfind(':');
  int quantity = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &quantity) || quantity < 1) {
    *error = absl::StrCat("--line ", text, ": a line is LINE_ID:QUANTITY with QUANTITY at least 1");
    return false;
  }
  line->set_order_line_id(text.substr(0, colon));
  line->set_quantity(quantity);
  return true;
}

// ---- Files and SHA-256 -----------------------------------------------------------------------

// Lower-case hex SHA-256, as ClaimEvidence.sha256 has it; empty if OpenSSL fails (never expected).
std::string Sha256HexOf(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

// The whole file. Evidence files are at most 10 MiB (the service's limit), so holding one in
// memory is cheap, and it means the SHA-256 is taken of exactly the bytes sent or written.
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

// ---- Printing --------------------------------------------------------------------------------

// Every string from the server printed outside a table (PrintTable escapes its cells) goes
// through S(): TerminalSafe (terminal_text.h), so a customer's file name or description cannot
// forge a line of this output, reorder it or drive the terminal.
std::string S(const std::string& text) { return TerminalSafe(text); }

std::string AssessmentText(const v1::ClaimEvidence& e) {
  if (!e.has_assessment() || e.assessment().label().empty()) return "-";
  const auto& a = e.assessment();
  return absl::StrCat(a.label(), " ", a.confidence_milli() / 10, ".", a.confidence_milli() % 10,
                      "% (", a.model_version(), ")");
}

void PrintEvidence(const v1::ClaimEvidence& e) {
  std::cout << "  " << S(e.evidence_id()) << "  " << S(OrDash(e.file_name())) << "  "
            << S(OrDash(e.content_type())) << "  "
            << EnumText(v1::EvidenceState_Name(e.state()), "EVIDENCE_STATE_") << "  "
            << e.size_bytes() << " bytes\n"
            << "    sha256 " << S(OrDash(e.sha256())) << "\n"
            << "    assessment " << S(AssessmentText(e)) << "\n";
}

void PrintClaim(const v1::Claim& c) {
  std::cout << "claim " << S(c.claim_id()) << "  order " << S(c.order_id()) << "  type " << TypeText(c.type())
            << "  state " << StateText(c.state()) << "  etag " << S(c.etag()) << "\n"
            << "  shipment " << S(OrDash(c.shipment_id())) << "  filed " << Time(c.create_time())
            << "  updated " << Time(c.update_time()) << "  resolved " << Time(c.resolve_time()) << "\n"
            << "  resolution " << ResolutionText(c.resolution()) << "  value " << S(MoneyOrDash(c.claim_value()))
            << "  refund " << S(MoneyOrDash(c.refund_amount())) << "\n";
  if (!c.description().empty()) std::cout << "  description: " << S(c.description()) << "\n";
  for (const auto& reason : c.review_reasons()) std::cout << "  review reason: " << S(reason) << "\n";
  if (!c.decision_note().empty()) std::cout << "  decision note: " << S(c.decision_note()) << "\n";
  if (c.reship_shipment_ids_size() > 0) {
    std::cout << "  reship shipments: " << S(absl::StrJoin(c.reship_shipment_ids(), ", ")) << "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : c.lines()) rows.push_back({l.order_line_id(), OrDash(l.sku()), absl::StrCat(l.quantity())});
  PrintTable({"LINE", "SKU", "QTY"}, rows);
  std::cout << "evidence: " << c.evidence_size() << " file(s)\n";
  for (const auto& e : c.evidence()) PrintEvidence(e);
}

std::vector<std::string> ClaimRow(const v1::Claim& c) {
  return {c.claim_id(), c.order_id(), TypeText(c.type()), StateText(c.state()),
          ResolutionText(c.resolution()), MoneyOrDash(c.claim_value()), Time(c.create_time())};
}

// The list and the review queue: the same table, the queue with the reasons a person must weigh.
void PrintClaims(const v1::ListClaimsResponse& response, bool with_reasons) {
  std::vector<std::string> header = {"CLAIM", "ORDER", "TYPE", "STATE", "RESOLUTION", "VALUE", "CREATED"};
  if (with_reasons) header.push_back("REVIEW REASONS");
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : response.claims()) {
    rows.push_back(ClaimRow(c));
    if (with_reasons) rows.back().push_back(absl::StrJoin(c.review_reasons(), "; "));
  }
  PrintTable(header, rows);
  if (!response.next_page_token().empty()) std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
}

void PrintDecision(const v1::Decision& d) {
  std::cout << "decision " << S(d.decision_id()) << "  kind " << S(d.kind()) << "  subject " << S(d.subject())
            << "  made " << Time(d.create_time()) << "\n"
            << "  outcome " << OutcomeText(d.outcome()) << "  rule " << S(OrDash(d.rule_version()))
            << "  score " << d.score_milli() << "/1000\n";
  for (const auto& reason : d.reasons()) std::cout << "  reason: " << S(reason) << "\n";
  // A protobuf map iterates in no fixed order; sorted, two printings can be compared.
  std::map<std::string, std::string> inputs;
  for (const auto& entry : d.inputs()) inputs[entry.first] = entry.second;
  for (const auto& entry : inputs) std::cout << "  input " << S(entry.first) << " = " << S(entry.second) << "\n";
  if (d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED) {
    std::cout << "  overridden: " << OutcomeText(d.override_outcome()) << " by " << S(d.override_actor())
              << " at " << Time(d.override_time()) << "\n  note: " << S(d.override_note()) << "\n";
  }
}

// The override columns only appear when some decision on the page was overridden, so the
// common case stays narrow.
void PrintDecisions(const v1::ListDecisionsResponse& response) {
  const bool any_override = std::any_of(
      response.decisions().begin(), response.decisions().end(),
      [](const v1::Decision& d) { return d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED; });
  std::vector<std::string> header = {"DECISION", "TIME", "KIND", "SUBJECT", "OUTCOME", "RULE"};
  if (any_override) header.insert(header.end(), {"OVERRIDE", "BY", "NOTE"});
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.decisions()) {
    rows.push_back({d.decision_id(), Time(d.create_time()), d.kind(), d.subject(),
                    OutcomeText(d.outcome()), d.rule_version()});
    if (!any_override) continue;
    const bool overridden = d.override_outcome() != v1::DECISION_OUTCOME_UNSPECIFIED;
    rows.back().insert(rows.back().end(), {overridden ? OutcomeText(d.override_outcome()) : "-",
                                           overridden ? d.override_actor() : "-",
                                           overridden ? d.override_note().substr(0, 60) : "-"});
  }
  PrintTable(header, rows);
  if (!response.next_page_token().empty()) std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
}

// ---- Claims ----------------------------------------------------------------------------------

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct ClaimValues {
  std::string claim_id, order_id, shipment_id, type, state, description, resolution, reason, etag;
  std::string page_token, evidence_id, out;
  std::vector<std::string> lines, photos;
  int page_size = 0;
  bool needs_review = false, approve = false, deny = false, request_evidence = false, force = false;
};

bool BuildFileClaimRequest(const ClaimValues& v, v1::FileClaimRequest* request, std::string* error) {
  request->set_order_id(v.order_id);
  request->set_shipment_id(v.shipment_id);
  v1::ClaimType type;
  if (!ParseClaimType(v.type, &type)) {
    *error = "--type is lost, damaged, stolen or wrong_item";
    return false;
  }
  request->set_type(type);
  for (const auto& text : v.lines) {
    if (!ParseClaimLine(text, request->add_lines(), error)) return false;
  }
  request->set_description(v.description);
  return true;
}

// A photo read before the claim is filed, so a missing or empty file stops the command before
// anything changes on the server.
struct Photo {
  std::string name;  // the file's base name: what the service keeps as file_name
  std::string bytes;
  std::string sha256;
};

bool LoadPhoto(const std::string& path, Photo* photo, std::string* error) {
  if (!ReadWholeFile(path, &photo->bytes)) {
    *error = absl::StrCat("--photo ", path, ": cannot read it");
    return false;
  }
  if (photo->bytes.empty()) {
    *error = absl::StrCat("--photo ", path, ": the file is empty");
    return false;
  }
  photo->name = std::filesystem::path(path).filename().string();
  // The service refuses a name outside its class (no hidden files, controls, bidi, or extension
  // other than an image's): say so before the claim is filed, not after.
  if (absl::Status name = CheckEvidenceFileName(photo->name); !name.ok()) {
    *error = absl::StrCat("--photo ", TerminalSafe(path), ": its name ", name.message(),
                          "; copy or rename the file");
    return false;
  }
  photo->sha256 = Sha256HexOf(photo->bytes);
  if (photo->sha256.empty()) {
    *error = absl::StrCat("--photo ", path, ": cannot compute its SHA-256");
    return false;
  }
  return true;
}

// Uploads one photo as chunked AddClaimEvidence calls and returns the exit code. Each chunk's
// request_id is request_id_prefix-<offset>: a re-run with the same ids replays the chunks that
// already arrived (same answers, same evidence_id) and sends the rest, so an interrupted upload
// resumes instead of starting a second copy.
int UploadPhoto(const Globals& g, v1::ClaimService::Stub& stub, const std::string& claim_id,
                const Photo& photo, const std::string& request_id_prefix) {
  const int64_t total = static_cast<int64_t>(photo.bytes.size());
  std::string evidence_id;
  int64_t offset = 0;
  while (true) {
    const int64_t length = std::min(kUploadChunkBytes, total - offset);
    const bool last = offset + length == total;
    v1::AddClaimEvidenceRequest request;
    request.set_request_id(absl::StrCat(request_id_prefix, "-", offset));
    request.set_claim_id(claim_id);
    if (offset == 0) {
      request.set_file_name(photo.name);  // the first chunk starts the upload
    } else {
      request.set_evidence_id(evidence_id);
    }
    request.set_offset(offset);
    request.set_data(photo.bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length)));
    request.set_last(last);
    if (last) request.set_sha256(photo.sha256);  // the service checks it and keeps the upload open on a mismatch
    v1::ClaimEvidence response;
    const int rc = Invoke(g, true, [&](grpc::ClientContext* c) { return stub.AddClaimEvidence(c, request, &response); });
    if (rc != 0) return rc;
    if (offset == 0) evidence_id = response.evidence_id();
    offset += length;
    PrintProgress(photo.name, offset, total);
    if (last) return 0;
  }
}

// GetClaim and print it; returns the exit code.
int ShowClaim(const Command& cmd, v1::ClaimService::Stub& stub, const std::string& claim_id) {
  v1::GetClaimRequest request;
  request.set_claim_id(claim_id);
  v1::Claim response;
  const int rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub.GetClaim(c, request, &response); });
  if (rc == 0) cmd.g.json ? PrintJson(response) : PrintClaim(response);
  return rc;
}

void FileClaim(const ClaimValues& v, const Command& cmd) {
  v1::FileClaimRequest request;
  std::string error;
  std::vector<Photo> photos(v.photos.size());
  bool ok = BuildFileClaimRequest(v, &request, &error);
  for (size_t i = 0; ok && i < photos.size(); ++i) ok = LoadPhoto(v.photos[i], &photos[i], &error);
  if (!ok) {
    std::cerr << "error: " << error << "\n";
    cmd.rc = 2;
    return;
  }
  auto stub = v1::ClaimService::NewStub(cmd.channel());
  request.set_request_id(cmd.request_id);
  v1::Claim claim;
  cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->FileClaim(c, request, &claim); });
  if (cmd.rc != 0) return;
  if (photos.empty()) {
    cmd.g.json ? PrintJson(claim) : PrintClaim(claim);
    return;
  }
  std::cerr << "filed claim " << claim.claim_id() << " (" << StateText(claim.state()) << "); uploading "
            << photos.size() << " photo(s)\n";
  for (size_t i = 0; i < photos.size(); ++i) {
    cmd.rc = UploadPhoto(cmd.g, *stub, claim.claim_id(), photos[i], absl::StrCat(cmd.request_id, "-photo", i));
    if (cmd.rc != 0) {
      // The request_id may have been random: say it, or the upload cannot be resumed safely.
      std::cerr << "claim " << claim.claim_id() << " is filed; to finish its uploads, run the same "
                << "command again with --request-id " << cmd.request_id << "\n";
      return;
    }
  }
  // The last chunk may have moved the claim on (AWAITING_EVIDENCE -> decided): read it again.
  cmd.rc = ShowClaim(cmd, *stub, claim.claim_id());
}

void ListClaims(const ClaimValues& v, const Command& cmd, bool review_queue) {
  v1::ListClaimsRequest request;
  request.set_order_id(v.order_id);
  if (!v.state.empty()) {
    v1::ClaimState state;
    if (!ParseClaimState(v.state, &state)) {
      std::cerr << "error: --state " << v.state << " is not a claim state\n";
      cmd.rc = 2;
      return;
    }
    request.set_state(state);
  }
  if (!v.type.empty()) {
    v1::ClaimType type;
    if (!ParseClaimType(v.type, &type)) {
      std::cerr << "error: --type is lost, damaged, stolen or wrong_item\n";
      cmd.rc = 2;
      return;
    }
    request.set_type(type);
  }
  request.set_needs_review(review_queue || v.needs_review);
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  auto stub = v1::ClaimService::NewStub(cmd.channel());
  v1::ListClaimsResponse response;
  cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->ListClaims(c, request, &response); });
  if (cmd.rc != 0) return;
  cmd.g.json ? PrintJson(response) : PrintClaims(response, review_queue);
}

bool BuildReviewRequest(const ClaimValues& v, v1::ReviewClaimRequest* request, std::string* error) {
  if (v.approve + v.deny + v.request_evidence != 1) {
    *error = "give exactly one of --approve, --deny and --request-evidence";
    return false;
  }
  request->set_action(v.approve ? v1::REVIEW_ACTION_APPROVE
                      : v.deny  ? v1::REVIEW_ACTION_DENY
                                : v1::REVIEW_ACTION_REQUEST_EVIDENCE);
  if (!v.resolution.empty()) {
    v1::ClaimResolution resolution;
    if (!v.approve || !ParseResolution(v.resolution, &resolution)) {
      *error = "--resolution (reship or refund) goes with --approve";
      return false;
    }
    request->set_resolution(resolution);
  }
  if (!v.approve && v.reason.empty()) {
    *error = "--deny and --request-evidence need a --reason";
    return false;
  }
  request->set_claim_id(v.claim_id);
  request->set_reason(v.reason);
  request->set_etag(v.etag);
  return true;
}

void ReviewClaim(const ClaimValues& v, const Command& cmd) {
  v1::ReviewClaimRequest request;
  std::string error;
  if (!BuildReviewRequest(v, &request, &error)) {
    std::cerr << "error: " << error << "\n";
    cmd.rc = 2;
    return;
  }
  auto stub = v1::ClaimService::NewStub(cmd.channel());
  request.set_request_id(cmd.request_id);
  v1::Claim response;
  cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->ReviewClaim(c, request, &response); });
  if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintClaim(response);
}

// ---- Evidence download -----------------------------------------------------------------------

// Where a download goes without --out: a name derived from the customer's, in the current
// directory, never hidden, never a path, with the extension of the sniffed type
// (evidence_file_name.h).
std::string DefaultEvidencePath(const v1::ClaimEvidence& evidence) {
  return LocalEvidenceFileName(evidence.file_name(), evidence.content_type(), evidence.evidence_id());
}

// A dangling symbolic link counts as existing: writing through it would create its target.
bool RefuseOverwrite(const std::string& path, bool force) {
  std::error_code ignored;
  if (force || !std::filesystem::exists(std::filesystem::symlink_status(path, ignored))) return false;
  std::cerr << "error: " << S(path) << " exists; use --force to overwrite it\n";
  return true;
}

// Writes the download to the derived name in the current directory: never through a symbolic
// link (a link planted there could point anywhere), and without --force never over a file that
// appeared since the check. Returns false (errno set) on failure.
bool WriteHere(const std::string& path, const std::string& bytes, bool force) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0666);
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
    const int rc = Invoke(g, false, [&](grpc::ClientContext* c) { return stub.DownloadClaimEvidence(c, request, &response); });
    if (rc != 0) return rc;
    *evidence = response.evidence();
    if (evidence->state() == v1::EVIDENCE_STATE_EXPIRED) {
      std::cerr << "error: evidence " << S(evidence_id) << " expired unfinished; its bytes are deleted\n";
      return 1;
    }
    if (evidence->state() != v1::EVIDENCE_STATE_COMPLETE) {
      std::cerr << "error: evidence " << S(evidence_id) << " is still uploading (" << evidence->size_bytes()
                << " bytes so far)\n";
      return 1;
    }
    bytes->append(response.data());
    PrintProgress(OrDash(evidence->file_name()), static_cast<int64_t>(bytes->size()), evidence->size_bytes());
    if (response.end_of_file()) return 0;
    if (response.data().empty()) {  // no progress and no end: looping would never finish
      std::cerr << "error: the service sent no bytes at offset " << bytes->size() << " before the end of the file\n";
      return 1;
    }
  }
}

void DownloadEvidence(const ClaimValues& v, const Command& cmd) {
  if (!v.out.empty() && RefuseOverwrite(v.out, v.force)) {  // before downloading anything
    cmd.rc = 1;
    return;
  }
  auto stub = v1::ClaimService::NewStub(cmd.channel());
  v1::ClaimEvidence evidence;
  std::string bytes;
  cmd.rc = FetchEvidence(cmd.g, *stub, v.evidence_id, &evidence, &bytes);
  if (cmd.rc != 0) return;
  // With --out the file goes exactly where the user said; without it, to a derived name here.
  const std::string path = v.out.empty() ? DefaultEvidencePath(evidence) : v.out;
  if (RefuseOverwrite(path, v.force)) {
    cmd.rc = 1;
    return;
  }
  if (v.out.empty()) {
    if (!WriteHere(path, bytes, v.force)) {
      std::cerr << "error: cannot write " << S(path) << ": " << std::strerror(errno)
                << (errno == ELOOP ? " (a symbolic link: not followed)" : "") << "\n";
      cmd.rc = 1;
      return;
    }
  } else {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
      std::cerr << "error: cannot write " << S(path) << "\n";
      cmd.rc = 1;
      return;
    }
  }
  // Hash what is on disk, not what was received: that is what the operator will open.
  std::string written;
  const std::string sha256 = ReadWholeFile(path, &written) ? Sha256HexOf(written) : "";
  if (cmd.g.json) {
    PrintJson(evidence);
  } else {
    std::cout << "wrote " << S(path) << " (" << S(OrDash(evidence.content_type())) << ", " << written.size()
              << " bytes)\nsha256 " << OrDash(sha256) << "\n";
  }
  if (sha256.empty() || sha256 != evidence.sha256()) {
    std::cerr << "error: SHA-256 mismatch: " << S(path) << " has " << OrDash(sha256) << ", the evidence "
              << S(OrDash(evidence.sha256())) << "\n";
    cmd.rc = 1;
    return;
  }
  if (!cmd.g.json) std::cout << "sha256 matches the evidence\n";
}

// ---- Decisions -------------------------------------------------------------------------------

struct DecisionValues {
  // The list's filters, bound both to bare `decisions` and to `decisions list`.
  std::string subject, outcome, kind, since, until, page_token;
  int page_size = 0;
  bool overridden = false, not_overridden = false;
  // override
  std::string decision_id, reason, resolution;
  bool approve = false, deny = false;
};

void AddDecisionFilters(CLI::App* app, DecisionValues* v) {
  app->add_option("--subject", v->subject,
                  "only decisions about this resource: returns/<id>, claims/<id> or exchange_tokens/<id>");
  app->add_option("--outcome", v->outcome, "only this outcome: approved, escalated or denied")
      ->check(OneOf({"approved", "escalated", "denied"}));
  app->add_option("--kind", v->kind, "only this kind, e.g. claim_adjudication or return_approval");
  app->add_option("--since", v->since, "only decisions made at or after this time (RFC 3339)");
  app->add_option("--until", v->until, "only decisions made before this time (RFC 3339)");
  app->add_flag("--overridden", v->overridden, "only decisions a person overrode");
  app->add_flag("--not-overridden", v->not_overridden, "only decisions nobody overrode");
  app->add_option("--page-size", v->page_size);
  app->add_option("--page-token", v->page_token);
}

bool BuildListDecisionsRequest(const DecisionValues& v, v1::ListDecisionsRequest* request, std::string* error) {
  request->set_subject(v.subject);
  request->set_kind(v.kind);
  request->set_page_size(v.page_size);
  request->set_page_token(v.page_token);
  if (!v.outcome.empty()) {
    v1::DecisionOutcome outcome;
    if (!ParseOutcome(v.outcome, &outcome)) {
      *error = "--outcome is approved, escalated or denied";
      return false;
    }
    request->set_outcome(outcome);
  }
  if (!v.since.empty() && !TimeUtil::FromString(v.since, request->mutable_start_time())) {
    *error = "--since is an RFC 3339 time such as 2024-05-01T00:00:00Z";
    return false;
  }
  if (!v.until.empty() && !TimeUtil::FromString(v.until, request->mutable_end_time())) {
    *error = "--until is an RFC 3339 time such as 2024-05-01T00:00:00Z";
    return false;
  }
  if (v.overridden && v.not_overridden) {
    *error = "give at most one of --overridden and --not-overridden";
    return false;
  }
  if (v.overridden) request->set_overridden(v1::OVERRIDE_FILTER_OVERRIDDEN);
  if (v.not_overridden) request->set_overridden(v1::OVERRIDE_FILTER_NOT_OVERRIDDEN);
  return true;
}

void ListDecisions(const DecisionValues& v, const Command& cmd) {
  v1::ListDecisionsRequest request;
  std::string error;
  if (!BuildListDecisionsRequest(v, &request, &error)) {
    std::cerr << "error: " << error << "\n";
    cmd.rc = 2;
    return;
  }
  auto stub = v1::AdminService::NewStub(cmd.channel());
  v1::ListDecisionsResponse response;
  cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->ListDecisions(c, request, &response); });
  if (cmd.rc != 0) return;
  cmd.g.json ? PrintJson(response) : PrintDecisions(response);
}

void OverrideDecision(const DecisionValues& v, const Command& cmd) {
  v1::OverrideDecisionRequest request;
  if (v.approve == v.deny) {
    std::cerr << "error: give exactly one of --approve and --deny\n";
    cmd.rc = 2;
    return;
  }
  request.set_outcome(v.approve ? v1::DECISION_OUTCOME_APPROVED : v1::DECISION_OUTCOME_DENIED);
  if (!v.resolution.empty()) {
    v1::ClaimResolution resolution;
    if (!v.approve || !ParseResolution(v.resolution, &resolution)) {
      std::cerr << "error: --resolution (reship or refund) goes with --approve\n";
      cmd.rc = 2;
      return;
    }
    request.set_claim_resolution(resolution);
  }
  auto stub = v1::AdminService::NewStub(cmd.channel());
  request.set_request_id(cmd.request_id);
  request.set_decision_id(v.decision_id);
  request.set_reason(v.reason);
  v1::Decision response;
  cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->OverrideDecision(c, request, &response); });
  if (cmd.rc == 0) cmd.g.json ? PrintJson(response) : PrintDecision(response);
}

void AddDecisionCommands(CLI::App& cli, const Command& cmd) {
  auto v = std::make_shared<DecisionValues>();
  // Bare `decisions [filters]` lists, as it always did; `list` says the same thing explicitly.
  auto* decisions = cli.add_subcommand("decisions", "automated decisions: list (the default) and override");
  decisions->require_subcommand(0, 1);
  AddDecisionFilters(decisions, v.get());

  auto* list = decisions->add_subcommand("list", "list automated decisions, newest first");
  AddDecisionFilters(list, v.get());
  list->callback([v, cmd] { ListDecisions(*v, cmd); });

  auto* override_cmd = decisions->add_subcommand(
      "override", "a person's outcome instead of the automation's; its effect is carried out at once");
  override_cmd->add_option("decision_id", v->decision_id)->required();
  override_cmd->add_flag("--approve", v->approve, "approve what the decision was about");
  override_cmd->add_flag("--deny", v->deny, "deny it");
  override_cmd->add_option("--reason", v->reason, "why (required)")->required();
  override_cmd->add_option("--resolution", v->resolution, "for a claim approved: reship or refund")
      ->check(OneOf({"reship", "refund"}));
  override_cmd->callback([v, cmd] { OverrideDecision(*v, cmd); });

  // A parent's callback runs after its subcommand's: only list when no subcommand ran.
  decisions->callback([v, cmd, decisions] {
    if (decisions->get_subcommands().empty()) ListDecisions(*v, cmd);
  });
}

// ---- The order's parcels ---------------------------------------------------------------------

struct ParcelValues {
  std::string order_id, carrier, tracking, promise;
  std::vector<std::string> lines;
};

// `order ship`: attaches a parcel to an order already synced. UpsertOrder takes the whole order,
// so the order is read first and sent back unchanged with the parcel (a no-op for the order).
void ShipOrder(const ParcelValues& v, const Command& cmd) {
  v1::UpsertOrderRequest request;
  v1::OrderShipment* parcel = request.add_shipments();
  parcel->set_carrier(v.carrier);
  parcel->set_tracking_number(v.tracking);
  if (!google::protobuf::util::TimeUtil::FromString(v.promise, parcel->mutable_promise_time())) {
    std::cerr << "error: --promise is an RFC 3339 time such as 2026-11-20T12:00:00Z\n";
    cmd.rc = 2;
    return;
  }
  for (const auto& text : v.lines) {
    v1::ClaimLine line;
    std::string error;
    if (!ParseClaimLine(text, &line, &error)) {
      std::cerr << "error: " << error << "\n";
      cmd.rc = 2;
      return;
    }
    v1::ShipmentLine* out = parcel->add_lines();
    out->set_order_line_id(line.order_line_id());
    out->set_quantity(line.quantity());
  }
  auto stub = v1::OrderService::NewStub(cmd.channel());
  v1::GetOrderRequest get;
  get.set_order_id(v.order_id);
  cmd.rc = Invoke(cmd.g, false, [&](grpc::ClientContext* c) { return stub->GetOrder(c, get, request.mutable_order()); });
  if (cmd.rc != 0) return;
  request.set_request_id(cmd.request_id);
  v1::Order response;
  cmd.rc = Invoke(cmd.g, true, [&](grpc::ClientContext* c) { return stub->UpsertOrder(c, request, &response); });
  if (cmd.rc != 0) return;
  if (cmd.g.json) {
    PrintJson(response);
    return;
  }
  std::cout << "parcel " << S(v.carrier) << " " << S(v.tracking) << " attached to order " << S(v.order_id)
            << " (returnsctl shipments list --order " << S(v.order_id) << ")\n";
}

}  // namespace

void AddClaimCommands(CLI::App& cli, Command cmd) {
  // order ship: the order's own parcel, which claims are about.
  auto parcel = std::make_shared<ParcelValues>();
  if (CLI::App* order = cli.get_subcommand("order")) {
    auto* ship = order->add_subcommand("ship", "attach the order's parcel: carrier, tracking, promised delivery, lines");
    ship->add_option("--order", parcel->order_id, "the order")->required();
    ship->add_option("--carrier", parcel->carrier, "the carrier's code, e.g. sandbox")->required();
    ship->add_option("--tracking", parcel->tracking, "the tracking number")->required();
    ship->add_option("--promise", parcel->promise, "promised delivery, RFC 3339")->required();
    ship->add_option("--line", parcel->lines, "LINE_ID:QUANTITY in the parcel (repeatable)")->required();
    ship->callback([parcel, cmd] { ShipOrder(*parcel, cmd); });
  }

  auto v = std::make_shared<ClaimValues>();

  // claim file | show | list | queue | review
  auto* claim = cli.add_subcommand("claim", "claims about the order's parcels: lost, damaged, stolen, wrong item")
                    ->require_subcommand(1);
  auto* file = claim->add_subcommand("file", "file a claim, then upload its photos");
  file->add_option("--order", v->order_id, "the order")->required();
  file->add_option("--shipment", v->shipment_id,
                   "the order's parcel (default: its only one, else the oldest holding every line)");
  file->add_option("--type", v->type, "lost, damaged, stolen or wrong_item")
      ->required()
      ->check(OneOf({"lost", "damaged", "stolen", "wrong_item"}));
  file->add_option("--line", v->lines, "LINE_ID:QUANTITY (repeatable)")->required();
  file->add_option("--description", v->description, "the customer's words");
  file->add_option("--photo", v->photos, "a photo to upload as evidence (repeatable)")->check(CLI::ExistingFile);
  file->callback([v, cmd] { FileClaim(*v, cmd); });

  auto* show = claim->add_subcommand("show", "show a claim with its evidence");
  show->add_option("claim_id", v->claim_id)->required();
  show->callback([v, cmd] {
    auto stub = v1::ClaimService::NewStub(cmd.channel());
    cmd.rc = ShowClaim(cmd, *stub, v->claim_id);
  });

  auto* list = claim->add_subcommand("list", "list claims, oldest first");
  list->add_option("--order", v->order_id, "only this order's claims");
  list->add_option("--state", v->state, "only claims in this state, e.g. in_review")
      ->check(OneOf({"filed", "in_review", "approved", "denied", "resolved", "awaiting_evidence"}));
  list->add_option("--type", v->type, "only claims of this type")
      ->check(OneOf({"lost", "damaged", "stolen", "wrong_item"}));
  list->add_flag("--needs-review", v->needs_review, "only claims waiting for a person");
  list->add_option("--page-size", v->page_size);
  list->add_option("--page-token", v->page_token);
  list->callback([v, cmd] { ListClaims(*v, cmd, false); });

  auto* queue = claim->add_subcommand("queue", "the review queue: claims waiting for a person, oldest first");
  queue->add_option("--page-size", v->page_size);
  queue->add_option("--page-token", v->page_token);
  queue->callback([v, cmd] { ListClaims(*v, cmd, true); });

  auto* review = claim->add_subcommand("review", "decide a claim: --approve, --deny or --request-evidence");
  review->add_option("claim_id", v->claim_id)->required();
  review->add_flag("--approve", v->approve, "approve it (with --resolution)");
  review->add_flag("--deny", v->deny, "deny it, with --reason; final");
  review->add_flag("--request-evidence", v->request_evidence, "ask the customer for more, with --reason");
  review->add_option("--resolution", v->resolution, "for --approve: reship or refund")
      ->check(OneOf({"reship", "refund"}));
  review->add_option("--reason", v->reason, "why (required for --deny and --request-evidence)");
  review->add_option("--etag", v->etag, "refuse if the claim changed since this etag");
  review->callback([v, cmd] { ReviewClaim(*v, cmd); });

  // evidence download
  auto* evidence = cli.add_subcommand("evidence", "claim evidence files")->require_subcommand(1);
  auto* download = evidence->add_subcommand("download", "download an evidence file and check its SHA-256");
  download->add_option("evidence_id", v->evidence_id)->required();
  download->add_option("-o,--out", v->out,
                       "file to write (default: here, a safe name from the evidence's file name with the "
                       "extension of its type)");
  download->add_flag("--force", v->force, "overwrite the file if it exists");
  download->callback([v, cmd] { DownloadEvidence(*v, cmd); });

  // decisions [list] | override
  AddDecisionCommands(cli, cmd);
}

}  // namespace returns::client
