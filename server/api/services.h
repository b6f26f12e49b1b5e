#pragma once

#include <memory>
#include <vector>

#include "api/byte_service.h"
#include "api/call_runner.h"

namespace returns::api {

// Every service of the contract (proto/returns/v1/*_service.proto), each method bound to its use
// case in server/app/. Throws std::logic_error at startup if a method of the contract is missing.
std::vector<std::unique_ptr<ByteService>> MakeServices(CallRunner& runner);

}  // namespace returns::api
