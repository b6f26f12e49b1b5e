#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "returns/v1/order.pb.h"

// The checks of single fields that every service's validation shares (api/validation/); each
// answers INVALID_ARGUMENT naming `field`, or OK.
namespace returns::api {

#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (false)

// An identifier: 1..128 printable ASCII characters, no spaces.
absl::Status CheckId(absl::string_view field, absl::string_view value);

absl::Status CheckOptionalId(absl::string_view field, absl::string_view value);

absl::Status CheckText(absl::string_view field, absl::string_view value, size_t max_length);

// An e-mail address as notifications need it: local@domain, 3..320 bytes, no spaces, control
// characters or characters that would break a header ("<>()[],;:\"). Non-ASCII letters are
// allowed (internationalised addresses); whether the mailbox exists is not ours to know.
absl::Status CheckEmail(absl::string_view field, absl::string_view value);

absl::Status CheckUuid(absl::string_view field, absl::string_view value);

absl::Status CheckRequestId(absl::string_view value);

absl::Status CheckQuantity(absl::string_view field, int32_t quantity);

absl::Status CheckTimestamp(absl::string_view field, const google::protobuf::Timestamp& t);

// A time that has happened: a delivery "in the future" would open the return window early and
// keep it open past its real end. Five minutes of clock difference are forgiven.
absl::Status CheckPastTime(absl::string_view field, const google::protobuf::Timestamp& t);

absl::Status CheckPageToken(absl::string_view token);

absl::Status CheckAddress(const v1::Address& a);

absl::Status CheckOrderLine(const v1::Order& order, int i);

}  // namespace returns::api
