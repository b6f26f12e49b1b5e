#include "integrations/http_damage_assessor.h"

#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace returns::integrations {
namespace {

using Json = nlohmann::json;

// At most 120 bytes of an answer's body for a message (it reaches jobs.last_error and the
// order's timeline): printable ASCII only, anything else blanked (an error page in another
// encoding must not break the UTF-8 of what stores it), the token cut out first (an assessor
// that echoes headers must not put it in a log).
std::string Excerpt(std::string text, const std::string& token) {
  if (!token.empty()) absl::StrReplaceAll({{token, "[token]"}}, &text);
  constexpr size_t kMax = 120;
  if (text.size() > kMax) text = absl::StrCat(text.substr(0, kMax), "...");
  for (char& c : text) {
    if (c < 0x20 || c > 0x7e) c = ' ';
  }
  return text;
}

bool IsPrintableAscii(const std::string& text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

absl::Status StatusError(const HttpResponse& response, const std::string& token) {
  const int status = response.status;
  const std::string said = Excerpt(response.body, token);
  if (status == 429) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the damage assessor is busy (HTTP 429", said.empty() ? "" : ": ", said, ")"));
  }
  if (status >= 500 || status == 408) {
    return absl::UnavailableError(absl::StrCat("the damage assessor is unavailable (HTTP ", status,
                                               said.empty() ? "" : ": ", said, ")"));
  }
  if (status == 401 || status == 403) {
    return absl::FailedPreconditionError(
        absl::StrCat("the damage assessor refused the token (HTTP ", status, ")"));
  }
  return absl::InvalidArgumentError(absl::StrCat("the damage assessor refused the photo (HTTP ",
                                                 status, said.empty() ? "" : ": ", said, ")"));
}

}  // namespace

HttpDamageAssessor::HttpDamageAssessor(std::string url, std::string token, HttpLimits limits,
                                       DestinationRule rule)
    : url_(std::move(url)), token_(std::move(token)), limits_(limits), rule_(rule) {
  limits_.max_response_bytes = kMaxAnswerBytes + 1;  // one more: a longer answer is seen as such
}

std::string HttpDamageAssessor::RequestBody(const AssessmentRequest& request) {
  const Json body = {{"evidence_id", request.evidence_id},
                     {"claim_id", request.claim_id},
                     {"merchant_id", request.merchant_id},
                     {"claim_type", request.claim_type},
                     {"content_type", request.content_type},
                     {"size_bytes", request.bytes.size()},
                     {"sha256", request.sha256},
                     {"image_base64", absl::Base64Escape(request.bytes)}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<Assessment> HttpDamageAssessor::ParseAnswer(const std::string& body) {
  const Json answer = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) {
    return absl::InvalidArgumentError("the damage assessor's answer is not a JSON object");
  }
  const auto label = answer.find("label");
  if (label == answer.end() || !label->is_string() ||
      (*label != "damage_visible" && *label != "no_damage_visible" && *label != "unclear")) {
    return absl::InvalidArgumentError(
        "the damage assessor's answer: label must be \"damage_visible\", \"no_damage_visible\" "
        "or \"unclear\"");
  }
  const auto confidence = answer.find("confidence");
  if (confidence == answer.end() || !confidence->is_number() ||
      !(confidence->get<double>() >= 0.0 && confidence->get<double>() <= 1.0)) {
    return absl::InvalidArgumentError(
        "the damage assessor's answer: confidence must be a number from 0 to 1");
  }
  const auto model = answer.find("model_version");
  if (model == answer.end() || !model->is_string() || model->get<std::string>().empty() ||
      model->get<std::string>().size() > 100 || !IsPrintableAscii(model->get<std::string>())) {
    return absl::InvalidArgumentError(
        "the damage assessor's answer: model_version must be 1 to 100 printable ASCII "
        "characters");
  }
  return Assessment{label->get<std::string>(),
                    static_cast<int>(std::lround(confidence->get<double>() * 1000.0)),
                    model->get<std::string>()};
}

absl::StatusOr<Assessment> HttpDamageAssessor::Assess(const AssessmentRequest& request) {
  HttpRequest call;
  call.method = "POST";
  call.url = url_;
  call.headers = {{"Content-Type", "application/json"},
                  {"Accept", "application/json"},
                  {"Idempotency-Key", request.evidence_id},
                  {"User-Agent", "returnsd-damage-assessor/1"}};
  if (!token_.empty()) call.headers.emplace_back("Authorization", "Bearer " + token_);
  call.body = RequestBody(request);
  absl::StatusOr<HttpResponse> response = SendHttp(call, limits_, rule_);
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat("the damage assessor: ", response.status().message()));
  }
  if (response->status < 200 || response->status >= 300) return StatusError(*response, token_);
  if (response->body_truncated || response->body.size() > kMaxAnswerBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the damage assessor's answer is longer than ", kMaxAnswerBytes, " bytes"));
  }
  return ParseAnswer(response->body);
}

}  // namespace returns::integrations
