#include "api/timeline_service.h"

#include "api/request_validation.h"
#include "app/use_cases.h"

namespace returns::api {

grpc::Status TimelineService::GetTimeline(grpc::ServerContext* context,
                                          const v1::GetTimelineRequest* request,
                                          v1::GetTimelineResponse* response) {
  return runner_.Run(context, "returns.v1.TimelineService/GetTimeline", *request, Validate(*request), [&](app::CallContext& call) {
    return app::GetTimeline(runner_.app(), call, *request, response);
  });
}

}  // namespace returns::api
