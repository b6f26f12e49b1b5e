#pragma once

#include "absl/strings/string_view.h"

namespace returns {

// Whether a gRPC address ("127.0.0.1:50051", "localhost:50051", "[::1]:50051", "unix:/path",
// with an optional "dns:///", "ipv4:" or "ipv6:" scheme) stays on this machine. Plaintext, and
// an API key sent in it, is allowed there only, unless the caller explicitly allows it: on both
// ends (returnsd --allow_insecure_plaintext, the client library's allow_insecure_plaintext).
bool IsLoopbackAddress(absl::string_view address);

}  // namespace returns
