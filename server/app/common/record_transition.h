#pragma once

#include <string>

#include "app/common/app_context.h"
#include "google/protobuf/message.h"
#include "storage/transaction.h"

namespace returns::app {

// One transition, as it goes to the order's timeline and to the change feed.
struct Transition {
  std::string order_id;
  std::string resource_type;  // "order", "return", ...
  std::string resource_id;
  std::string event_type;  // a constant of domain/event_types.h: "return.requested", ...
  std::string state;       // the resource's state after the change
  std::string summary;     // one sentence for a support agent
  // The resource after the change; its JSON is the change-feed payload.
  const google::protobuf::Message* resource = nullptr;
};

// Writes the timeline event and the outbox row of `transition` inside the caller's transaction
// (PRODUCT.md 4.3), so both commit or vanish with the change itself.
void RecordTransition(storage::Tx& tx, const CallContext& call, const Transition& transition);

}  // namespace returns::app
