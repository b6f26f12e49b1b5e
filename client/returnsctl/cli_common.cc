#include "returnsctl/cli_common.h"

#include <cstdlib>
#include <exception>

#include "absl/time/time.h"

namespace returns::client {

const Services& CommandContext::services() {
  if (services_ != nullptr) return *services_;
  g.options.timeout = absl::Milliseconds(g.timeout_seconds * 1000);
  if (request_id.empty()) request_id = NewRequestId();
  try {
    services_ = std::make_unique<Services>(g.options);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    std::exit(2);
  }
  return *services_;
}

}  // namespace returns::client
