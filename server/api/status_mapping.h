#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace returns::api {

// The one mapping from absl::Status to grpc::Status. The details trailer carries a serialized
// google.rpc.Status with an ErrorInfo (reason from docs/errors.md, domain "returns.v1",
// metadata), a BadRequest naming the field for bad input, a QuotaFailure for a quota
// (RESOURCE_EXHAUSTED from QuotaError), and a PreconditionFailure for FAILED_PRECONDITION.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace returns::api
