#pragma once

#include <memory>

#include <grpcpp/security/server_credentials.h>

#include "service/flags.h"

namespace returns {

// TLS (mutual TLS with a client CA) from the flags; plaintext only on loopback (127.0.0.0/8, ::1,
// localhost, Unix sockets: traffic that never leaves the machine) unless
// --allow_insecure_plaintext. Null, after telling stderr why, for flags that do not fit together
// or files that cannot be read.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const Flags& flags);

}  // namespace returns
