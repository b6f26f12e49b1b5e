// returnsctl claim file | show | list | queue | review: claims about the order's own parcels.
// Filing with photos, the review queue, and a person's review.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/enum_text.h"
#include "returns/v1/claim_service.grpc.pb.h"
#include "returnsctl/claim_line.h"
#include "returnsctl/cli_common.h"
#include "returnsctl/commands.h"
#include "returnsctl/photo_upload.h"

namespace returns::client {
namespace {

// Option values live as long as the CLI; callbacks run after parsing. Only one command's
// callback runs per invocation, so commands may share fields.
struct ClaimValues {
  std::string claim_id, order_id, shipment_id, type, state, description, resolution, reason, etag;
  std::string page_token;
  std::vector<std::string> lines, photos;
  int page_size = 0;
  bool needs_review = false, approve = false, deny = false, request_evidence = false;
};

// ---- Printing --------------------------------------------------------------------------------

std::string ResolutionText(v1::ClaimResolution resolution) {
  if (resolution == v1::CLAIM_RESOLUTION_UNSPECIFIED) return "-";
  return EnumText(resolution);
}

// An unset Money has no currency; "0.00 " would read as a real zero.
std::string MoneyOrDash(const v1::Money& m) { return m.currency_code().empty() ? "-" : Money(m); }

std::string AssessmentText(const v1::ClaimEvidence& e) {
  if (!e.has_assessment() || e.assessment().label().empty()) return "-";
  const auto& a = e.assessment();
  return absl::StrCat(a.label(), " ", a.confidence_milli() / 10, ".", a.confidence_milli() % 10,
                      "% (", a.model_version(), ")");
}

void PrintEvidence(const v1::ClaimEvidence& e) {
  std::cout << "  " << S(e.evidence_id()) << "  " << S(OrDash(e.file_name())) << "  "
            << S(OrDash(e.content_type())) << "  " << EnumText(e.state()) << "  " << e.size_bytes()
            << " bytes\n"
            << "    sha256 " << S(OrDash(e.sha256())) << "\n"
            << "    assessment " << S(AssessmentText(e)) << "\n";
}

void PrintClaim(const v1::Claim& c) {
  std::cout << "claim " << S(c.claim_id()) << "  order " << S(c.order_id()) << "  type "
            << EnumText(c.type()) << "  state " << EnumText(c.state()) << "  etag " << S(c.etag())
            << "\n"
            << "  shipment " << S(OrDash(c.shipment_id())) << "  filed " << Time(c.create_time())
            << "  updated " << Time(c.update_time()) << "  resolved " << Time(c.resolve_time())
            << "\n"
            << "  resolution " << ResolutionText(c.resolution()) << "  value "
            << S(MoneyOrDash(c.claim_value())) << "  refund " << S(MoneyOrDash(c.refund_amount()))
            << "\n";
  if (!c.description().empty()) std::cout << "  description: " << S(c.description()) << "\n";
  for (const auto& reason : c.review_reasons()) {
    std::cout << "  review reason: " << S(reason) << "\n";
  }
  if (!c.decision_note().empty()) std::cout << "  decision note: " << S(c.decision_note()) << "\n";
  if (c.reship_shipment_ids_size() > 0) {
    std::cout << "  reship shipments: " << S(absl::StrJoin(c.reship_shipment_ids(), ", ")) << "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : c.lines()) {
    rows.push_back({l.order_line_id(), OrDash(l.sku()), absl::StrCat(l.quantity())});
  }
  PrintTable({"LINE", "SKU", "QTY"}, rows);
  std::cout << "evidence: " << c.evidence_size() << " file(s)\n";
  for (const auto& e : c.evidence()) PrintEvidence(e);
}

std::vector<std::string> ClaimRow(const v1::Claim& c) {
  return {c.claim_id(),
          c.order_id(),
          EnumText(c.type()),
          EnumText(c.state()),
          ResolutionText(c.resolution()),
          MoneyOrDash(c.claim_value()),
          Time(c.create_time())};
}

// The list and the review queue: the same table, the queue with the reasons a person must weigh.
void PrintClaims(const v1::ListClaimsResponse& response, bool with_reasons) {
  std::vector<std::string> header = {"CLAIM",      "ORDER", "TYPE",   "STATE",
                                     "RESOLUTION", "VALUE", "CREATED"};
  if (with_reasons) header.push_back("REVIEW REASONS");
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : response.claims()) {
    rows.push_back(ClaimRow(c));
    if (with_reasons) rows.back().push_back(absl::StrJoin(c.review_reasons(), "; "));
  }
  PrintTable(header, rows);
  if (!response.next_page_token().empty()) {
    std::cout << "next page: --page-token " << S(response.next_page_token()) << "\n";
  }
}

// ---- Commands --------------------------------------------------------------------------------

bool BuildFileClaimRequest(const ClaimValues& v, v1::FileClaimRequest* request,
                           std::string* error) {
  request->set_order_id(v.order_id);
  request->set_shipment_id(v.shipment_id);
  const std::optional<v1::ClaimType> type = ParseEnum<v1::ClaimType>(v.type);
  if (!type.has_value()) {
    *error = "--type is lost, damaged, stolen or wrong_item";
    return false;
  }
  request->set_type(*type);
  for (const auto& text : v.lines) {
    if (!ParseClaimLine(text, request->add_lines(), error)) return false;
  }
  request->set_description(v.description);
  return true;
}

// GetClaim and print it; returns the exit code.
int ShowClaim(const CommandContext& context, v1::ClaimService::Stub& claims,
              const std::string& claim_id) {
  v1::GetClaimRequest request;
  request.set_claim_id(claim_id);
  v1::Claim response;
  const int rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return claims.GetClaim(c, request, &response);
  });
  if (rc == 0) context.g.json ? PrintJson(response) : PrintClaim(response);
  return rc;
}

void FileClaim(const ClaimValues& v, CommandContext& context) {
  v1::FileClaimRequest request;
  std::string error;
  std::vector<Photo> photos(v.photos.size());
  bool ok = BuildFileClaimRequest(v, &request, &error);
  for (size_t i = 0; ok && i < photos.size(); ++i) ok = LoadPhoto(v.photos[i], &photos[i], &error);
  if (!ok) {
    std::cerr << "error: " << error << "\n";
    context.rc = 2;
    return;
  }
  v1::ClaimService::Stub& claims = *context.services().claims;
  request.set_request_id(context.request_id);
  v1::Claim claim;
  context.rc = Invoke(context.g, true,
                      [&](grpc::ClientContext* c) { return claims.FileClaim(c, request, &claim); });
  if (context.rc != 0) return;
  if (photos.empty()) {
    context.g.json ? PrintJson(claim) : PrintClaim(claim);
    return;
  }
  std::cerr << "filed claim " << claim.claim_id() << " (" << EnumText(claim.state())
            << "); uploading " << photos.size() << " photo(s)\n";
  for (size_t i = 0; i < photos.size(); ++i) {
    context.rc = UploadPhoto(context.g, claims, claim.claim_id(), photos[i],
                             absl::StrCat(context.request_id, "-photo", i));
    if (context.rc != 0) {
      // The request_id may have been random: say it, or the upload cannot be resumed safely.
      std::cerr << "claim " << claim.claim_id() << " is filed; to finish its uploads, run the "
                << "same command again with --request-id " << context.request_id << "\n";
      return;
    }
  }
  // The last chunk may have moved the claim on (AWAITING_EVIDENCE -> decided): read it again.
  context.rc = ShowClaim(context, claims, claim.claim_id());
}

void ListClaims(const ClaimValues& v, CommandContext& context, bool review_queue) {
  v1::ListClaimsRequest request;
  request.set_order_id(v.order_id);
  if (!v.state.empty()) {
    const std::optional<v1::ClaimState> state = ParseEnum<v1::ClaimState>(v.state);
    if (!state.has_value()) {
      std::cerr << "error: --state " << v.state << " is not a claim state\n";
      context.rc = 2;
      return;
    }
    request.set_state(*state);
  }
  if (!v.type.empty()) {
    const std::optional<v1::ClaimType> type = ParseEnum<v1::ClaimType>(v.type);
    if (!type.has_value()) {
      std::cerr << "error: --type is lost, damaged, stolen or wrong_item\n";
      context.rc = 2;
      return;
    }
    request.set_type(*type);
  }
  request.set_needs_review(review_queue || v.needs_review);
  request.set_page_size(v.page_size);
  request.set_page_token(v.page_token);
  v1::ClaimService::Stub& claims = *context.services().claims;
  v1::ListClaimsResponse response;
  context.rc = Invoke(context.g, false, [&](grpc::ClientContext* c) {
    return claims.ListClaims(c, request, &response);
  });
  if (context.rc != 0) return;
  context.g.json ? PrintJson(response) : PrintClaims(response, review_queue);
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
    const std::optional<v1::ClaimResolution> resolution =
        ParseEnum<v1::ClaimResolution>(v.resolution);
    if (!v.approve || !resolution.has_value()) {
      *error = "--resolution (reship or refund) goes with --approve";
      return false;
    }
    request->set_resolution(*resolution);
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

void ReviewClaim(const ClaimValues& v, CommandContext& context) {
  v1::ReviewClaimRequest request;
  std::string error;
  if (!BuildReviewRequest(v, &request, &error)) {
    std::cerr << "error: " << error << "\n";
    context.rc = 2;
    return;
  }
  v1::ClaimService::Stub& claims = *context.services().claims;
  request.set_request_id(context.request_id);
  v1::Claim response;
  context.rc = Invoke(context.g, true, [&](grpc::ClientContext* c) {
    return claims.ReviewClaim(c, request, &response);
  });
  if (context.rc == 0) context.g.json ? PrintJson(response) : PrintClaim(response);
}

}  // namespace

void AddClaimCommands(CLI::App& app, CommandContext& context) {
  auto v = std::make_shared<ClaimValues>();
  const std::vector<std::string> types = {"lost", "damaged", "stolen", "wrong_item"};
  auto* claim = app.add_subcommand(
      "claim", "claims about the order's parcels: lost, damaged, stolen, wrong item");
  claim->require_subcommand(1);

  auto* file = claim->add_subcommand("file", "file a claim, then upload its photos");
  file->add_option("--order", v->order_id, "the order")->required();
  file->add_option(
      "--shipment", v->shipment_id,
      "the order's parcel (default: its only one, else the oldest holding every line)");
  file->add_option("--type", v->type, "lost, damaged, stolen or wrong_item")
      ->required()
      ->check(OneOf(types));
  file->add_option("--line", v->lines, "LINE_ID:QUANTITY (repeatable)")->required();
  file->add_option("--description", v->description, "the customer's words");
  file->add_option("--photo", v->photos, "a photo to upload as evidence (repeatable)")
      ->check(CLI::ExistingFile);
  file->callback([v, &context] { FileClaim(*v, context); });

  auto* show = claim->add_subcommand("show", "show a claim with its evidence");
  show->add_option("claim_id", v->claim_id)->required();
  show->callback(
      [v, &context] { context.rc = ShowClaim(context, *context.services().claims, v->claim_id); });

  auto* list = claim->add_subcommand("list", "list claims, oldest first");
  list->add_option("--order", v->order_id, "only this order's claims");
  list->add_option("--state", v->state, "only claims in this state, e.g. in_review")
      ->check(OneOf({"filed", "in_review", "approved", "denied", "resolved", "awaiting_evidence"}));
  list->add_option("--type", v->type, "only claims of this type")->check(OneOf(types));
  list->add_flag("--needs-review", v->needs_review, "only claims waiting for a person");
  list->add_option("--page-size", v->page_size);
  list->add_option("--page-token", v->page_token);
  list->callback([v, &context] { ListClaims(*v, context, false); });

  auto* queue =
      claim->add_subcommand("queue", "the review queue: claims waiting for a person, oldest first");
  queue->add_option("--page-size", v->page_size);
  queue->add_option("--page-token", v->page_token);
  queue->callback([v, &context] { ListClaims(*v, context, true); });

  auto* review =
      claim->add_subcommand("review", "decide a claim: --approve, --deny or --request-evidence");
  review->add_option("claim_id", v->claim_id)->required();
  review->add_flag("--approve", v->approve, "approve it (with --resolution)");
  review->add_flag("--deny", v->deny, "deny it, with --reason; final");
  review->add_flag("--request-evidence", v->request_evidence,
                   "ask the customer for more, with --reason");
  review->add_option("--resolution", v->resolution, "for --approve: reship or refund")
      ->check(OneOf({"reship", "refund"}));
  review->add_option("--reason", v->reason, "why (required for --deny and --request-evidence)");
  review->add_option("--etag", v->etag, "refuse if the claim changed since this etag");
  review->callback([v, &context] { ReviewClaim(*v, context); });
}

}  // namespace returns::client
