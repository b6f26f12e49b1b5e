#include "domain/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace returns {
namespace {

constexpr absl::string_view kReasonUrl = "returns.v1/reason";
constexpr absl::string_view kFieldUrl = "returns.v1/field";
constexpr absl::string_view kQuotaSubjectUrl = "returns.v1/quota_subject";
constexpr absl::string_view kMetadataPrefix = "returns.v1/metadata/";

}  // namespace

absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             const std::map<std::string, std::string>& metadata) {
  absl::Status status(code, message);
  status.SetPayload(kReasonUrl, absl::Cord(reason));
  for (const auto& [key, value] : metadata) {
    status.SetPayload(absl::StrCat(kMetadataPrefix, key), absl::Cord(value));
  }
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view description,
                          absl::string_view reason) {
  absl::Status status =
      ErrorWithReason(absl::StatusCode::kInvalidArgument, reason,
                      absl::StrCat(field, ": ", description), {{"field", std::string(field)}});
  status.SetPayload(kFieldUrl, absl::Cord(field));
  return status;
}

absl::Status QuotaError(absl::string_view reason, absl::string_view subject,
                        absl::string_view message,
                        const std::map<std::string, std::string>& metadata) {
  absl::Status status =
      ErrorWithReason(absl::StatusCode::kResourceExhausted, reason, message, metadata);
  status.SetPayload(kQuotaSubjectUrl, absl::Cord(subject));
  return status;
}

absl::Status NotFoundError(absl::string_view resource_type, absl::string_view id) {
  return ErrorWithReason(absl::StatusCode::kNotFound, reason::kNotFound,
                         absl::StrCat(resource_type, " \"", id, "\" not found"));
}

absl::Status PreconditionError(absl::string_view reason, absl::string_view message,
                               const std::map<std::string, std::string>& metadata) {
  return ErrorWithReason(absl::StatusCode::kFailedPrecondition, reason, message, metadata);
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonUrl);
  return payload ? std::string(*payload) : std::string();
}

std::optional<std::string> FieldOf(const absl::Status& status) {
  auto payload = status.GetPayload(kFieldUrl);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

std::optional<std::string> QuotaSubjectOf(const absl::Status& status) {
  auto payload = status.GetPayload(kQuotaSubjectUrl);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

std::map<std::string, std::string> MetadataOf(const absl::Status& status) {
  std::map<std::string, std::string> metadata;
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& value) {
    if (absl::StartsWith(url, kMetadataPrefix)) {
      metadata[std::string(url.substr(kMetadataPrefix.size()))] = std::string(value);
    }
  });
  return metadata;
}

}  // namespace returns
