#include "app/record_transition.h"

#include <stdexcept>

#include "google/protobuf/util/json_util.h"

namespace returns::app {

void RecordTransition(storage::Tx& tx, const CallContext& call, const Transition& transition) {
  std::string payload = "{}";
  if (transition.resource != nullptr) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    payload.clear();
    auto status = google::protobuf::util::MessageToJsonString(*transition.resource, &payload, options);
    if (!status.ok()) throw std::runtime_error("change-feed payload is not JSON-printable");
  }
  tx.Exec("timeline/record_event", call.merchant_id, transition.order_id, transition.resource_type,
          transition.resource_id, transition.event_type, transition.state, transition.summary,
          call.request_id, payload);
}

}  // namespace returns::app
