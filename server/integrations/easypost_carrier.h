#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "integrations/carrier.h"
#include "integrations/http_client.h"

// The carrier "easypost": return labels bought through EasyPost's v2 API with each merchant's own
// EasyPost account (https://www.easypost.com/docs/api). A label is a return shipment
// (is_return) from the customer's address to the merchant's return address, paid by the
// merchant.
namespace returns::integrations {

// What a merchant's EasyPost account says (from the merchant's carrier account; the API key in
// clear only in memory).
struct EasyPostAccount {
  std::string api_key;
  std::string carrier;       // preferred carrier ("USPS"), empty: lowest rate of any
  std::string service;       // preferred service ("Priority"), empty: lowest rate of the carrier
  std::string label_format;  // "PDF", "ZPL" or "PNG"; empty: "PDF"
  std::string return_address_json;  // EasyPost address object where returns go (to_address), JSON
  std::string parcel_json;          // EasyPost parcel object (weight in oz, dims in inches), JSON
};

using EasyPostAccountLookup =
    std::function<absl::StatusOr<EasyPostAccount>(const std::string& merchant_id)>;

// A durable memo per idempotency key (a database table behind it), so a retried CreateLabel finds
// the EasyPost shipment it already made instead of buying a second label.
class CallMemo {
 public:
  virtual ~CallMemo() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(const std::string& merchant_id,
                                                         const std::string& key) = 0;
  virtual absl::Status Put(const std::string& merchant_id, const std::string& key,
                           const std::string& value) = 0;
};

// Errors (carrier.h says which are retried): the merchant's key refused (HTTP 401/403) is
// FAILED_PRECONDITION; a request EasyPost rejects (400/404/422) is INVALID_ARGUMENT with
// EasyPost's error message; its rate limit (429) is RESOURCE_EXHAUSTED with the Retry-After
// seconds; 5xx is UNAVAILABLE; SendHttp's transport errors pass through. No message and no log
// line ever holds the API key. Thread-safe when the lookup and the memo are.
class EasyPostCarrier : public CarrierAdapter {
 public:
  // Memo keys: kShipmentMemoPrefix + the idempotency key holds the EasyPost shipment id.
  static constexpr char kShipmentMemoPrefix[] = "easypost_shipment:";
  // Label files are fetched with this limit instead of limits.max_response_bytes.
  static constexpr size_t kMaxLabelBytes = 2 * 1024 * 1024;
  // The least max_response_bytes used for API answers: a shipment with every rate of several
  // carriers easily passes the 64 KiB default, and a cut answer cannot be parsed.
  static constexpr size_t kMinApiResponseBytes = 1024 * 1024;
  // All HTTP calls of one CreateLabel or VoidLabelOf together, well below the job's 60 s lease:
  // each call gets the least of limits.total_timeout and what is left of it.
  static constexpr absl::Duration kCallBudget = absl::Seconds(45);

  // `base_url` is the API root, for example "https://api.easypost.com/v2"; `rule` applies to it
  // and to the label files' URLs.
  EasyPostCarrier(std::string base_url, EasyPostAccountLookup accounts,
                  std::shared_ptr<CallMemo> memo, HttpLimits limits, DestinationRule rule);

  std::string code() const override { return "easypost"; }

  // Creates the return shipment (or finds the one a previous attempt created, by the memo),
  // buys the rate the account prefers and downloads the label file. The memo is written before
  // the purchase, so a retry never buys a second label for the same idempotency key.
  absl::StatusOr<Label> CreateLabel(const LabelRequest& request) override;

  // Always FAILED_PRECONDITION: the merchant whose API key voids the label is not in this
  // signature. Voids go through VoidLabelOf.
  absl::Status VoidLabel(const std::string& idempotency_key,
                         const std::string& tracking_number) override;

  // Refunds the label of shipment `carrier_reference` (Label.carrier_reference; when empty, the
  // shipment the memo holds for `idempotency_key`, and OK when there is none: nothing was
  // bought). A refund submitted or done, now or before, is success; one the carrier rejected is
  // FAILED_PRECONDITION.
  absl::Status VoidLabelOf(const std::string& merchant_id, const std::string& idempotency_key,
                           const std::string& carrier_reference);
  // The durable void job's call: the shipment the memo holds for the key.
  absl::Status VoidLabelFor(const std::string& merchant_id, const std::string& idempotency_key,
                            const std::string& tracking_number) override {
    (void)tracking_number;
    return VoidLabelOf(merchant_id, idempotency_key, "");
  }

  // Starts tracking a parcel (POST /trackers); returns the tracker id. An empty `carrier` lets
  // EasyPost guess it from the tracking code.
  absl::StatusOr<std::string> CreateTracker(const std::string& merchant_id,
                                            const std::string& tracking_code,
                                            const std::string& carrier);

 private:
  std::string base_url_;
  EasyPostAccountLookup accounts_;
  std::shared_ptr<CallMemo> memo_;
  HttpLimits limits_;
  DestinationRule rule_;
};

}  // namespace returns::integrations
