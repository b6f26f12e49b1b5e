#include "app/logistics/easypost_accounts.h"

#include <nlohmann/json.hpp>

#include "app/logistics/carrier_accounts.h"
#include "domain/errors.h"
#include "storage/carrier_account_store.h"

namespace returns::app {
namespace {

constexpr char kEasyPost[] = "easypost";

nlohmann::json EasyPostAddress(const v1::Address& address) {
  return {{"name", address.name()},           {"street1", address.line1()},
          {"street2", address.line2()},       {"city", address.city()},
          {"state", address.region()},        {"zip", address.postal_code()},
          {"country", address.country_code()}};
}

nlohmann::json EasyPostParcel(const v1::Parcel& parcel) {
  nlohmann::json json = {{"weight", parcel.weight_oz()}};
  if (parcel.length_in() > 0) {
    json["length"] = parcel.length_in();
    json["width"] = parcel.width_in();
    json["height"] = parcel.height_in();
  }
  return json;
}

class DatabaseMemo : public integrations::CallMemo {
 public:
  explicit DatabaseMemo(const AppContext* app) : app_(app) {}
  absl::StatusOr<std::optional<std::string>> Get(const std::string& merchant_id,
                                                 const std::string& key) override {
    std::optional<std::string> value;
    absl::Status status = storage::RunSingleRead(
        *app_->pool, "GetCallMemo", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          value = storage::CarrierAccountStore(tx).GetMemo(merchant_id, key);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return value;
  }
  absl::Status Put(const std::string& merchant_id, const std::string& key,
                   const std::string& value) override {
    return storage::RunTransaction(
        *app_->pool, "PutCallMemo", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          storage::CarrierAccountStore(tx).PutMemo(merchant_id, key, value);
          return absl::OkStatus();
        });
  }

 private:
  const AppContext* app_;
};

}  // namespace

integrations::EasyPostAccountLookup EasyPostAccounts(const AppContext* app) {
  return [app](const std::string& merchant_id) -> absl::StatusOr<integrations::EasyPostAccount> {
    std::optional<storage::StoredCarrierAccount> stored;
    absl::Status read = storage::RunSingleRead(
        *app->pool, "GetCarrierAccount", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          stored = storage::CarrierAccountStore(tx).GetAccount(merchant_id, kEasyPost);
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    if (!stored) {
      return PreconditionError(reason::kCarrierAccountMissing,
                               "the merchant has no account at carrier \"easypost\"",
                               {{"carrier", kEasyPost}});
    }
    auto api_key = OpenCarrierCredential(*app, merchant_id, kEasyPost, "api_key");
    if (!api_key.ok()) return api_key.status();
    if (!api_key->has_value()) {
      return PreconditionError(reason::kCarrierAccountMissing,
                               "the merchant has no account at carrier \"easypost\"",
                               {{"carrier", kEasyPost}});
    }
    integrations::EasyPostAccount account;
    account.api_key = **api_key;
    account.carrier = stored->account.preferred_carrier();
    account.service = stored->account.preferred_service();
    account.label_format = stored->account.label_format();
    account.return_address_json = EasyPostAddress(stored->account.return_address()).dump();
    account.parcel_json = EasyPostParcel(stored->account.parcel()).dump();
    return account;
  };
}

std::shared_ptr<integrations::CallMemo> DatabaseCallMemo(const AppContext* app) {
  return std::make_shared<DatabaseMemo>(app);
}

}  // namespace returns::app
