#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// The one interface every carrier implements (PRODUCT.md 4.5). Adding a real carrier means
// writing one class like SandboxCarrier and registering it in server/service/serve.cc; nothing else
// changes.
//
// Calls are made by durable jobs (server/app/background/run_due_jobs.cc), outside any database
// transaction, and may be repeated after a crash: every call carries an idempotency key that stays
// the same across retries, and an adapter must give the same answer (not a second label) for it.
// Errors: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL and UNKNOWN are
// retried with backoff; any other code dead-letters the job at once. A call must return within
// the job's lease (60 s; bound network calls well below it), or another worker retries the job.
namespace returns::integrations {

struct LabelRequest {
  std::string idempotency_key;  // the shipment id
  std::string merchant_id;
  std::string order_id;
  std::string return_id;
  std::string ship_from_json;  // the customer's address (Order.shipping_address as JSON)
};

struct Label {
  std::string tracking_number;
  std::string format;    // "ZPL" or "PDF"
  std::string document;  // the printable label
  std::string carrier_reference;
};

class CarrierAdapter {
 public:
  virtual ~CarrierAdapter() = default;
  // The code clients use in requests and carriers in events, for example "sandbox".
  virtual std::string code() const = 0;
  virtual absl::StatusOr<Label> CreateLabel(const LabelRequest& request) = 0;
  // Cancels an unused label; voiding one already voided succeeds.
  virtual absl::Status VoidLabel(const std::string& idempotency_key,
                                 const std::string& tracking_number) = 0;
  // The same for a merchant: adapters that keep per-merchant state (the merchant's account at
  // the carrier) override it; the others void as above.
  virtual absl::Status VoidLabelFor(const std::string& merchant_id,
                                    const std::string& idempotency_key,
                                    const std::string& tracking_number) {
    (void)merchant_id;
    return VoidLabel(idempotency_key, tracking_number);
  }
  // Whether a merchant needs an account at this carrier (SetCarrierAccount) to use it; a real
  // carrier does, the sandbox does not.
  virtual bool NeedsAccount() const { return true; }
};

}  // namespace returns::integrations
