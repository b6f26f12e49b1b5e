#include "integrations/easypost_carrier.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace returns::integrations {
namespace {

using Json = nlohmann::json;

// The string at `key` of an object; "" when absent, null or not a string.
std::string Str(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The object at `key`; nullptr when absent or not an object.
const Json* Obj(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

// Ids go into URL paths: only what EasyPost's ids are made of ("shp_" and hex digits).
bool IsEasyPostId(absl::string_view id) {
  return !id.empty() && id.size() <= 100 && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Never throws: invalid UTF-8 from a merchant's settings becomes U+FFFD instead.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// EasyPost's text for a status message: the API key cut out (EasyPost does not echo it, but no
// message may ever carry it), control characters blanked, at most 300 bytes on a UTF-8 boundary.
std::string Clean(std::string text, const std::string& api_key) {
  if (!api_key.empty()) absl::StrReplaceAll({{api_key, "[api key]"}}, &text);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  constexpr size_t kMax = 300;
  if (text.size() > kMax) {
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = absl::StrCat(text.substr(0, cut), "...");
  }
  return text;
}

// EasyPost's error body, {"error": {"code", "message", "errors"}}, as one line. "errors" comes in
// two shapes: field errors ({"field", "message"}) or plain strings.
std::string DescribeError(const std::string& body, const std::string& api_key) {
  const Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  const Json* error = Obj(parsed, "error");
  if (error == nullptr) return "no error message";
  std::string text = Str(*error, "message");
  if (text.empty()) text = "no error message";
  if (const std::string code = Str(*error, "code"); !code.empty()) {
    absl::StrAppend(&text, " [", code, "]");
  }
  std::vector<std::string> details;
  if (auto it = error->find("errors"); it != error->end() && it->is_array()) {
    for (const Json& item : *it) {
      if (item.is_string()) {
        details.push_back(item.get<std::string>());
      } else if (const std::string message = Str(item, "message"); !message.empty()) {
        const std::string field = Str(item, "field");
        details.push_back(field.empty() ? message : absl::StrCat(field, ": ", message));
      }
    }
  }
  if (!details.empty()) absl::StrAppend(&text, " (", absl::StrJoin(details, "; "), ")");
  return Clean(std::move(text), api_key);
}

// A non-2xx answer of the API as a status (carrier.h: which codes are retried).
absl::Status HttpError(const HttpResponse& response, const std::string& api_key) {
  const int status = response.status;
  if (status == 401 || status == 403) {
    return absl::FailedPreconditionError(
        absl::StrCat("EasyPost refused the merchant's API key (HTTP ", status, ")"));
  }
  if (status == 400 || status == 404 || status == 422) {
    return absl::InvalidArgumentError(absl::StrCat("EasyPost rejected the request (HTTP ", status,
                                                   "): ", DescribeError(response.body, api_key)));
  }
  if (status == 429) {
    int seconds = 0;
    if (absl::SimpleAtoi(response.Header("retry-after"), &seconds) && seconds >= 0) {
      return absl::ResourceExhaustedError(
          absl::StrCat("EasyPost's rate limit (HTTP 429): retry after ", seconds, " s"));
    }
    return absl::ResourceExhaustedError("EasyPost's rate limit (HTTP 429)");
  }
  if (status >= 500 || status == 408) {
    return absl::UnavailableError(absl::StrCat("EasyPost is unavailable (HTTP ", status, ")"));
  }
  if (status == 409) {
    return absl::AbortedError(absl::StrCat("EasyPost reported a conflict (HTTP 409): ",
                                           DescribeError(response.body, api_key)));
  }
  if (status >= 400) {
    return absl::FailedPreconditionError(
        absl::StrCat("EasyPost refused the request (HTTP ", status,
                     "): ", DescribeError(response.body, api_key)));
  }
  return absl::UnknownError(absl::StrCat("EasyPost answered HTTP ", status));
}

// The HTTP calls of one adapter call, with the merchant's key and one time budget for them all.
class Session {
 public:
  Session(const std::string& base_url, const std::string& api_key, const HttpLimits& limits,
          DestinationRule rule)
      : base_url_(base_url),
        api_key_(api_key),
        limits_(limits),
        rule_(rule),
        deadline_(absl::Now() + EasyPostCarrier::kCallBudget) {}

  // One API call; `body` (when not null) is sent as JSON. The answer must be a JSON object.
  absl::StatusOr<Json> Call(const std::string& method, const std::string& path,
                            const Json* body) const {
    auto limits =
        Limits(std::max(limits_.max_response_bytes, EasyPostCarrier::kMinApiResponseBytes));
    if (!limits.ok()) return limits.status();
    HttpRequest request;
    request.method = method;
    request.url = base_url_ + path;
    request.headers.emplace_back("Accept", "application/json");
    if (body != nullptr) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = Dump(*body);
    }
    request.basic_auth_user = api_key_;  // EasyPost's scheme: the key as user, no password
    absl::StatusOr<HttpResponse> response = SendHttp(request, *limits, rule_);
    if (!response.ok()) {
      return absl::Status(response.status().code(),
                          absl::StrCat("EasyPost ", method, " ", path, ": ",
                                       Clean(std::string(response.status().message()), api_key_)));
    }
    if (response->status < 200 || response->status >= 300) return HttpError(*response, api_key_);
    if (response->body_truncated) {
      return absl::InternalError(absl::StrCat("EasyPost's answer to ", method, " ", path,
                                              " is longer than ", limits->max_response_bytes,
                                              " bytes"));
    }
    Json parsed = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) {
      return absl::UnavailableError(absl::StrCat("EasyPost answered ", method, " ", path,
                                                 " with something other than a JSON object"));
    }
    return parsed;
  }

  // A label file. Sent without the API key: the files are on a file host, not EasyPost's API.
  absl::StatusOr<std::string> Download(const std::string& url) const {
    auto limits = Limits(EasyPostCarrier::kMaxLabelBytes);
    if (!limits.ok()) return limits.status();
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    absl::StatusOr<HttpResponse> response = SendHttp(request, *limits, rule_);
    if (!response.ok()) {
      return absl::Status(response.status().code(),
                          absl::StrCat("EasyPost label file: ", response.status().message()));
    }
    // Retried: the next attempt reads the shipment again, with a fresh URL.
    if (response->status != 200) {
      return absl::UnavailableError(
          absl::StrCat("EasyPost's label file answered HTTP ", response->status));
    }
    if (response->body_truncated) {
      return absl::FailedPreconditionError(absl::StrCat("EasyPost's label file is larger than ",
                                                        EasyPostCarrier::kMaxLabelBytes, " bytes"));
    }
    if (response->body.empty()) return absl::UnavailableError("EasyPost's label file is empty");
    return std::move(response->body);
  }

 private:
  // The configured limits, cut to what is left of the budget.
  absl::StatusOr<HttpLimits> Limits(size_t max_response_bytes) const {
    const absl::Duration left = deadline_ - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(absl::StrCat(
          "EasyPost calls took longer than ", absl::FormatDuration(EasyPostCarrier::kCallBudget)));
    }
    HttpLimits limits = limits_;
    limits.total_timeout = std::min(limits.total_timeout, left);
    limits.connect_timeout = std::min(limits.connect_timeout, limits.total_timeout);
    limits.max_response_bytes = max_response_bytes;
    return limits;
  }

  const std::string& base_url_;
  const std::string& api_key_;
  const HttpLimits& limits_;
  DestinationRule rule_;
  absl::Time deadline_;
};

// A field of ours and EasyPost's name for it.
struct FieldName {
  const char* ours;
  const char* theirs;
};

constexpr FieldName kAddressFields[] = {
    {"name", "name"},      {"line1", "street1"},        {"line2", "street2"},
    {"city", "city"},      {"region", "state"},         {"postal_code", "zip"},
    {"postalCode", "zip"}, {"country_code", "country"}, {"countryCode", "country"},
    {"phone", "phone"},    {"email", "email"}};

constexpr FieldName kParcelFields[] = {{"weight_oz", "weight"}, {"weightOz", "weight"},
                                       {"length_in", "length"}, {"lengthIn", "length"},
                                       {"width_in", "width"},   {"widthIn", "width"},
                                       {"height_in", "height"}, {"heightIn", "height"}};

// An address as EasyPost wants it. Order.shipping_address (proto JSON: name, line1, line2, city,
// region, postal_code, country_code; the lowerCamelCase names too) is mapped field by field; an
// object without those names is taken to be an EasyPost address already and passes as it is.
// nullopt when `text` is not a JSON object.
std::optional<Json> EasyPostAddress(const std::string& text) {
  Json address = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!address.is_object()) return std::nullopt;
  // Identical names (name, city, ...) say nothing about which kind of address this is.
  const bool ours = std::any_of(
      std::begin(kAddressFields), std::end(kAddressFields), [&](const FieldName& field) {
        return absl::string_view(field.ours) != field.theirs && address.contains(field.ours);
      });
  if (!ours) return address;
  Json mapped = Json::object();
  for (const FieldName& field : kAddressFields) {
    if (std::string value = Str(address, field.ours); !value.empty()) {
      mapped[field.theirs] = std::move(value);
    }
  }
  return mapped;
}

// A parcel as EasyPost wants it: the carrier account's Parcel (weight_oz, length_in, width_in,
// height_in) is renamed; an EasyPost parcel object passes as it is. nullopt when not an object.
std::optional<Json> EasyPostParcel(const std::string& text) {
  Json parcel = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parcel.is_object()) return std::nullopt;
  if (!parcel.contains("weight_oz") && !parcel.contains("weightOz")) return parcel;
  Json mapped = Json::object();
  for (const FieldName& field : kParcelFields) {
    if (auto it = parcel.find(field.ours); it != parcel.end() && it->is_number()) {
      mapped[field.theirs] = *it;
    }
  }
  return mapped;
}

absl::StatusOr<std::string> LabelFormat(const std::string& configured) {
  const std::string format = configured.empty() ? "PDF" : absl::AsciiStrToUpper(configured);
  if (format != "PDF" && format != "ZPL" && format != "PNG") {
    return absl::FailedPreconditionError(
        "the merchant's EasyPost label format is not PDF, ZPL or PNG");
  }
  return format;
}

bool HasLabel(const Json& shipment) {
  const Json* label = Obj(shipment, "postage_label");
  return label != nullptr && !Str(*label, "label_url").empty();
}

// The URL of the label file in `format`; "" when the postage label has none.
std::string LabelUrl(const Json& shipment, const std::string& format) {
  const Json* label = Obj(shipment, "postage_label");
  if (label == nullptr) return "";
  std::string specific = Str(*label, format == "PDF"   ? "label_pdf_url"
                                     : format == "ZPL" ? "label_zpl_url"
                                                       : "");
  if (!specific.empty()) return specific;
  // label_url is the label in the format it was bought in; label_file_type says which.
  const std::string type = absl::AsciiStrToLower(Str(*label, "label_file_type"));
  if (absl::StrContains(type, absl::AsciiStrToLower(format)) || (type.empty() && format == "PNG")) {
    return Str(*label, "label_url");
  }
  return "";
}

struct Rate {
  std::string id;
  std::string carrier;
  std::string service;
  double price = 0;
};

// The preferred carrier and service; else the lowest rate of the preferred carrier; else the
// lowest of all. Rates are decimal strings ("6.90"); a tie keeps EasyPost's order.
absl::StatusOr<std::string> ChooseRate(const Json& shipment, const EasyPostAccount& account) {
  std::vector<Rate> rates;
  if (auto it = shipment.find("rates"); it != shipment.end() && it->is_array()) {
    for (const Json& item : *it) {
      Rate rate{Str(item, "id"), Str(item, "carrier"), Str(item, "service"), 0};
      if (IsEasyPostId(rate.id) && absl::SimpleAtod(Str(item, "rate"), &rate.price)) {
        rates.push_back(std::move(rate));
      }
    }
  }
  if (rates.empty()) {
    // Not retried: a retry reads the same shipment with the same rates.
    std::vector<std::string> messages;
    if (auto it = shipment.find("messages"); it != shipment.end() && it->is_array()) {
      for (const Json& item : *it) {
        const std::string message = Str(item, "message");
        if (!message.empty()) messages.push_back(absl::StrCat(Str(item, "carrier"), ": ", message));
      }
    }
    std::string text = "EasyPost offered no rate for the shipment";
    if (!messages.empty()) absl::StrAppend(&text, " (", absl::StrJoin(messages, "; "), ")");
    return absl::FailedPreconditionError(Clean(std::move(text), account.api_key));
  }
  const auto lowest = [&](const auto& matches) -> const Rate* {
    const Rate* best = nullptr;
    for (const Rate& rate : rates) {
      if (matches(rate) && (best == nullptr || rate.price < best->price)) best = &rate;
    }
    return best;
  };
  const auto carrier_matches = [&](const Rate& rate) {
    return account.carrier.empty() || absl::EqualsIgnoreCase(rate.carrier, account.carrier);
  };
  const Rate* chosen = nullptr;
  if (!account.service.empty()) {
    chosen = lowest([&](const Rate& rate) {
      return carrier_matches(rate) && absl::EqualsIgnoreCase(rate.service, account.service);
    });
  }
  if (chosen == nullptr && !account.carrier.empty()) chosen = lowest(carrier_matches);
  if (chosen == nullptr) chosen = lowest([](const Rate&) { return true; });
  return chosen->id;
}

// The merchant's account, with a key: every call needs it.
absl::StatusOr<EasyPostAccount> Account(const EasyPostAccountLookup& accounts,
                                        const std::string& merchant_id) {
  if (!accounts) return absl::FailedPreconditionError("no EasyPost account lookup configured");
  absl::StatusOr<EasyPostAccount> account = accounts(merchant_id);
  if (!account.ok()) return account.status();
  if (account->api_key.empty()) {
    return absl::FailedPreconditionError("the merchant's EasyPost account has no API key");
  }
  return account;
}

}  // namespace

EasyPostCarrier::EasyPostCarrier(std::string base_url, EasyPostAccountLookup accounts,
                                 std::shared_ptr<CallMemo> memo, HttpLimits limits,
                                 DestinationRule rule)
    : base_url_(absl::StripSuffix(base_url, "/")),
      accounts_(std::move(accounts)),
      memo_(std::move(memo)),
      limits_(limits),
      rule_(rule) {}

absl::StatusOr<Label> EasyPostCarrier::CreateLabel(const LabelRequest& request) {
  if (request.idempotency_key.empty()) {
    return absl::InvalidArgumentError("a label request needs an idempotency key");
  }
  if (memo_ == nullptr) return absl::FailedPreconditionError("no call memo configured");
  absl::StatusOr<EasyPostAccount> account = Account(accounts_, request.merchant_id);
  if (!account.ok()) return account.status();
  absl::StatusOr<std::string> format = LabelFormat(account->label_format);
  if (!format.ok()) return format.status();
  const Session session(base_url_, account->api_key, limits_, rule_);

  const std::string memo_key = kShipmentMemoPrefix + request.idempotency_key;
  absl::StatusOr<std::optional<std::string>> memo = memo_->Get(request.merchant_id, memo_key);
  if (!memo.ok()) return memo.status();
  std::string shipment_id;
  Json shipment;
  if (memo->has_value()) {
    // An earlier attempt made the shipment, and perhaps bought it with the answer lost.
    shipment_id = **memo;
    if (!IsEasyPostId(shipment_id)) {
      return absl::InternalError("the memo holds no valid EasyPost shipment id");
    }
    absl::StatusOr<Json> found = session.Call("GET", "/shipments/" + shipment_id, nullptr);
    if (!found.ok()) return found.status();
    shipment = *std::move(found);
  } else {
    std::optional<Json> customer = EasyPostAddress(request.ship_from_json);
    if (!customer) {
      return absl::InvalidArgumentError("the customer's address is not a JSON object");
    }
    std::optional<Json> merchant = EasyPostAddress(account->return_address_json);
    if (!merchant) {
      return absl::FailedPreconditionError(
          "the merchant's EasyPost return address is not a JSON object");
    }
    std::optional<Json> parcel = EasyPostParcel(account->parcel_json);
    if (!parcel) {
      return absl::FailedPreconditionError("the merchant's EasyPost parcel is not a JSON object");
    }
    // A return label (is_return) is described as the outbound shipment it returns: EasyPost
    // swaps to_address and from_address itself, so the customer goes in to_address and the
    // merchant's return address in from_address; the label then runs from the customer to the
    // merchant.
    const Json body = {{"shipment",
                        {{"to_address", *std::move(customer)},
                         {"from_address", *std::move(merchant)},
                         {"parcel", *std::move(parcel)},
                         {"is_return", true},
                         {"reference", request.idempotency_key},
                         {"options", {{"label_format", *format}}}}}};
    // A shipment made here but lost before the memo (a crash, a lost answer) costs nothing:
    // EasyPost charges for the purchase, which only ever follows the memo.
    absl::StatusOr<Json> created = session.Call("POST", "/shipments", &body);
    if (!created.ok()) return created.status();
    shipment = *std::move(created);
    shipment_id = Str(shipment, "id");
    if (!IsEasyPostId(shipment_id)) {
      return absl::UnavailableError("EasyPost created a shipment without a valid id");
    }
    if (absl::Status put = memo_->Put(request.merchant_id, memo_key, shipment_id); !put.ok()) {
      return put;
    }
  }

  if (!HasLabel(shipment)) {
    absl::StatusOr<std::string> rate = ChooseRate(shipment, *account);
    if (!rate.ok()) return rate.status();
    const Json body = {{"rate", {{"id", *rate}}}};
    absl::StatusOr<Json> bought = session.Call("POST", "/shipments/" + shipment_id + "/buy", &body);
    if (!bought.ok() && bought.status().code() == absl::StatusCode::kInvalidArgument) {
      // EasyPost refuses to buy a shipment twice: another attempt may have bought it meanwhile.
      absl::StatusOr<Json> again = session.Call("GET", "/shipments/" + shipment_id, nullptr);
      if (again.ok() && HasLabel(*again)) bought = std::move(again);
    }
    if (!bought.ok()) return bought.status();
    shipment = *std::move(bought);
  }

  Label label;
  label.tracking_number = Str(shipment, "tracking_code");
  if (label.tracking_number.empty()) {
    return absl::UnavailableError("EasyPost has no tracking code for the label yet");
  }
  std::string url = LabelUrl(shipment, *format);
  if (url.empty()) {
    // Bought in another format (a shipment made before the format changed): EasyPost converts.
    absl::StatusOr<Json> converted = session.Call(
        "GET", absl::StrCat("/shipments/", shipment_id, "/label?file_format=", *format), nullptr);
    if (!converted.ok()) return converted.status();
    url = LabelUrl(*converted, *format);
    if (url.empty()) {
      return absl::UnavailableError(absl::StrCat("EasyPost gave no ", *format, " label file"));
    }
  }
  absl::StatusOr<std::string> document = session.Download(url);
  if (!document.ok()) return document.status();
  label.format = *format;
  label.document = *std::move(document);
  label.carrier_reference = shipment_id;
  return label;
}

absl::Status EasyPostCarrier::VoidLabel(const std::string&, const std::string&) {
  return absl::FailedPreconditionError("easypost voids need the merchant: call VoidLabelOf");
}

absl::Status EasyPostCarrier::VoidLabelOf(const std::string& merchant_id,
                                          const std::string& idempotency_key,
                                          const std::string& carrier_reference) {
  std::string shipment_id = carrier_reference;
  if (shipment_id.empty()) {
    if (memo_ == nullptr) return absl::FailedPreconditionError("no call memo configured");
    absl::StatusOr<std::optional<std::string>> memo =
        memo_->Get(merchant_id, kShipmentMemoPrefix + idempotency_key);
    if (!memo.ok()) return memo.status();
    // The memo is written before any purchase: without it nothing was bought.
    if (!memo->has_value()) return absl::OkStatus();
    shipment_id = **memo;
  }
  if (!IsEasyPostId(shipment_id)) {
    return absl::InvalidArgumentError("the label's reference is not an EasyPost shipment id");
  }
  absl::StatusOr<EasyPostAccount> account = Account(accounts_, merchant_id);
  if (!account.ok()) return account.status();
  const Session session(base_url_, account->api_key, limits_, rule_);

  const Json empty = Json::object();
  absl::StatusOr<Json> refunded =
      session.Call("POST", "/shipments/" + shipment_id + "/refund", &empty);
  if (!refunded.ok()) {
    if (refunded.status().code() != absl::StatusCode::kInvalidArgument) return refunded.status();
    // EasyPost refuses a second refund and the refund of a label never bought: the shipment says
    // whether either is why.
    absl::StatusOr<Json> shipment = session.Call("GET", "/shipments/" + shipment_id, nullptr);
    if (!shipment.ok()) return refunded.status();
    if (!HasLabel(*shipment)) return absl::OkStatus();  // nothing bought, nothing to void
    const std::string status = Str(*shipment, "refund_status");
    if (status == "submitted" || status == "refunded") return absl::OkStatus();
    return refunded.status();
  }
  const std::string status = Str(*refunded, "refund_status");
  if (status == "submitted" || status == "refunded") return absl::OkStatus();
  if (status == "rejected" || status == "not_applicable") {
    return absl::FailedPreconditionError(absl::StrCat(
        "the carrier refused to refund EasyPost shipment ", shipment_id, " (", status, ")"));
  }
  return absl::UnavailableError(
      absl::StrCat("EasyPost has no refund status for shipment ", shipment_id, " yet"));
}

absl::StatusOr<std::string> EasyPostCarrier::CreateTracker(const std::string& merchant_id,
                                                           const std::string& tracking_code,
                                                           const std::string& carrier) {
  if (tracking_code.empty()) return absl::InvalidArgumentError("no tracking code to track");
  absl::StatusOr<EasyPostAccount> account = Account(accounts_, merchant_id);
  if (!account.ok()) return account.status();
  const Session session(base_url_, account->api_key, limits_, rule_);
  Json tracker = {{"tracking_code", tracking_code}};
  if (!carrier.empty()) tracker["carrier"] = carrier;
  const Json body = {{"tracker", std::move(tracker)}};
  absl::StatusOr<Json> created = session.Call("POST", "/trackers", &body);
  if (!created.ok()) return created.status();
  std::string id = Str(*created, "id");
  if (id.empty()) return absl::UnavailableError("EasyPost made a tracker without an id");
  return id;
}

}  // namespace returns::integrations
