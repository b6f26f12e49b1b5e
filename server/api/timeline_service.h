#pragma once

#include "api/call_runner.h"
#include "returns/v1/timeline_service.grpc.pb.h"

namespace returns::api {

// returns.v1.TimelineService: validation and use case per method, nothing else.
class TimelineService final : public v1::TimelineService::Service {
 public:
  explicit TimelineService(CallRunner& runner) : runner_(runner) {}

  grpc::Status GetTimeline(grpc::ServerContext* context, const v1::GetTimelineRequest* request,
                           v1::GetTimelineResponse* response) override;
  grpc::Status StreamEvents(grpc::ServerContext* context, const v1::StreamEventsRequest* request,
                            grpc::ServerWriter<v1::ChangeEvent>* writer) override;

  grpc::Status WatchTimeline(grpc::ServerContext* context, const v1::WatchTimelineRequest* request,
                             grpc::ServerWriter<v1::TimelineEvent>* writer) override;

 private:
  CallRunner& runner_;
};

}  // namespace returns::api
