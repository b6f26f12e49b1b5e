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

grpc::Status TimelineService::StreamEvents(grpc::ServerContext* context,
                                           const v1::StreamEventsRequest* request,
                                           grpc::ServerWriter<v1::ChangeEvent>* writer) {
  // A stream holds one handler thread while it is open (the synchronous API).
  return runner_.Run(context, "returns.v1.TimelineService/StreamEvents", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       const app::AppContext& app = runner_.app();
                       return app::StreamEvents(
                           app, call, *request,
                           [&](const v1::ChangeEvent& event) { return writer->Write(event); },
                           [&] {
                             return context->IsCancelled() ||
                                    (app.draining != nullptr && app.draining->HasBeenNotified());
                           });
                     });
}

grpc::Status TimelineService::WatchTimeline(grpc::ServerContext* context,
                                            const v1::WatchTimelineRequest* request,
                                            grpc::ServerWriter<v1::TimelineEvent>* writer) {
  // A stream holds one handler thread while it is open (the synchronous API), parked on the
  // change listener: an idle watcher costs a thread, not queries (docs/operations.md).
  return runner_.Run(context, "returns.v1.TimelineService/WatchTimeline", *request, Validate(*request),
                     [&](app::CallContext& call) {
                       const app::AppContext& app = runner_.app();
                       return app::WatchTimeline(
                           app, call, *request,
                           [&](const v1::TimelineEvent& event) { return writer->Write(event); },
                           [&] {
                             return context->IsCancelled() ||
                                    (app.draining != nullptr && app.draining->HasBeenNotified());
                           });
                     });
}

}  // namespace returns::api
