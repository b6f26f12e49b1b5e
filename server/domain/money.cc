#include "domain/money.h"

#include "absl/strings/str_cat.h"

namespace returns {

bool IsCurrencyCode(absl::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

absl::StatusOr<Money> Money::Of(std::string currency_code, int64_t amount_minor) {
  if (!IsCurrencyCode(currency_code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("currency code \"", currency_code, "\" is not three upper-case letters"));
  }
  return Money(std::move(currency_code), amount_minor);
}

Money Money::Zero(std::string currency_code) { return Money(std::move(currency_code), 0); }

absl::Status Money::CheckSameCurrency(const Money& other) const {
  if (currency_code_ != other.currency_code_) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot combine ", currency_code_, " with ", other.currency_code_));
  }
  return absl::OkStatus();
}

absl::StatusOr<Money> Money::Plus(const Money& other) const {
  if (auto s = CheckSameCurrency(other); !s.ok()) return s;
  int64_t sum = 0;
  if (__builtin_add_overflow(amount_minor_, other.amount_minor_, &sum)) {
    return absl::OutOfRangeError("money addition overflows");
  }
  return Money(currency_code_, sum);
}

absl::StatusOr<Money> Money::Minus(const Money& other) const {
  if (auto s = CheckSameCurrency(other); !s.ok()) return s;
  int64_t difference = 0;
  if (__builtin_sub_overflow(amount_minor_, other.amount_minor_, &difference)) {
    return absl::OutOfRangeError("money subtraction overflows");
  }
  return Money(currency_code_, difference);
}

absl::StatusOr<Money> Money::Times(int64_t factor) const {
  int64_t product = 0;
  if (__builtin_mul_overflow(amount_minor_, factor, &product)) {
    return absl::OutOfRangeError("money multiplication overflows");
  }
  return Money(currency_code_, product);
}

absl::StatusOr<Money> Money::MinusFloorZero(const Money& other) const {
  auto difference = Minus(other);
  if (!difference.ok()) return difference;
  if (difference->amount_minor() < 0) return Zero(currency_code_);
  return difference;
}

}  // namespace returns
