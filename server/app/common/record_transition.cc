#include "app/common/record_transition.h"

#include <stdexcept>

#include "common/proto_json.h"
#include "storage/timeline_store.h"

namespace returns::app {

void RecordTransition(storage::Tx& tx, const CallContext& call, const Transition& transition) {
  std::string payload = "{}";
  if (transition.resource != nullptr) {
    absl::StatusOr<std::string> json = ProtoToJson(*transition.resource);
    if (!json.ok()) throw std::runtime_error("change-feed payload is not JSON-printable");
    payload = *std::move(json);
  }
  storage::TimelineStore(tx).RecordEvent(
      call.merchant_id, transition.order_id, transition.resource_type, transition.resource_id,
      transition.event_type, transition.state, transition.summary, call.request_id, payload);
}

}  // namespace returns::app
