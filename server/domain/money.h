#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"

namespace returns {

// An amount in integer minor units of one ISO 4217 currency. All money arithmetic in the service
// goes through this type: it refuses to mix currencies and to overflow, and never rounds.
class Money {
 public:
  // Validates the currency code (three upper-case letters).
  static absl::StatusOr<Money> Of(std::string currency_code, int64_t amount_minor);
  static Money Zero(std::string currency_code);

  const std::string& currency_code() const { return currency_code_; }
  int64_t amount_minor() const { return amount_minor_; }

  absl::StatusOr<Money> Plus(const Money& other) const;
  absl::StatusOr<Money> Minus(const Money& other) const;
  absl::StatusOr<Money> Times(int64_t factor) const;
  // This amount less `other`, but never below zero (fees never make a refund negative).
  absl::StatusOr<Money> MinusFloorZero(const Money& other) const;

  bool operator==(const Money& other) const {
    return currency_code_ == other.currency_code_ && amount_minor_ == other.amount_minor_;
  }

 private:
  Money(std::string currency_code, int64_t amount_minor)
      : currency_code_(std::move(currency_code)), amount_minor_(amount_minor) {}
  absl::Status CheckSameCurrency(const Money& other) const;

  std::string currency_code_;
  int64_t amount_minor_ = 0;
};

// True for three upper-case ASCII letters.
bool IsCurrencyCode(absl::string_view code);

}  // namespace returns
