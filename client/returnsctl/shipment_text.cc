#include "returnsctl/shipment_text.h"

#include <iostream>
#include <map>

#include "common/enum_text.h"
#include "returnsctl/cli_common.h"

namespace returns::client {

void PrintShipment(const v1::Shipment& s) {
  // What the purpose means for the parcel's way, in the reader's words (not the enum's names).
  static const std::map<v1::ShipmentPurpose, const char*> kPurpose = {
      {v1::SHIPMENT_PURPOSE_RETURN_LABEL, "INBOUND (return label)"},
      {v1::SHIPMENT_PURPOSE_REPLACEMENT, "OUTBOUND (replacement)"},
      {v1::SHIPMENT_PURPOSE_ORDER, "OUTBOUND (the order's parcel)"},
      {v1::SHIPMENT_PURPOSE_RESHIP, "OUTBOUND (a claim's reship)"}};
  auto purpose = kPurpose.find(s.purpose());
  std::cout << "shipment " << s.shipment_id() << "  "
            << (purpose != kPurpose.end()                         ? purpose->second
                : s.direction() == v1::SHIPMENT_DIRECTION_INBOUND ? "INBOUND"
                                                                  : "OUTBOUND")
            << "  state " << EnumText(s.state()) << "\n  order " << s.order_id() << "  return "
            << (s.return_id().empty() ? "-" : s.return_id()) << "\n  carrier "
            << (s.carrier().empty() ? "-" : s.carrier()) << "  tracking "
            << (s.tracking_number().empty() ? "-" : s.tracking_number());
  if (!s.sku().empty()) std::cout << "  " << s.quantity() << " x " << s.sku();
  for (const auto& line : s.lines()) {
    std::cout << "  " << line.order_line_id() << " x" << line.quantity();
  }
  if (s.has_promise_time()) std::cout << "\n  promised " << Time(s.promise_time());
  if (s.has_delivered_time()) std::cout << "  delivered " << Time(s.delivered_time());
  if (!s.claim_id().empty()) std::cout << "\n  claim " << s.claim_id();
  if (!s.label_format().empty()) {
    std::cout << "\n  label " << s.label_format() << " (" << s.label_document().size()
              << " bytes; returnsctl label download " << s.shipment_id() << ")";
  }
  std::cout << "\n  last carrier event " << Time(s.last_event_time()) << "  updated "
            << Time(s.update_time()) << "\n";
}

}  // namespace returns::client
