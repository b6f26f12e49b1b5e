#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "api/executor.h"
#include "app/common/app_context.h"

// The live streams (WatchTimeline, StreamEvents) on gRPC's callback API: a stream is a reactor
// that holds no thread and no database connection while idle. It reads a batch on the executor
// when the change listener says its key moved, writes the batch, and waits again.
//
// Every stream obeys its API key for its whole life: a revoked key's streams end with
// UNAUTHENTICATED as soon as the revocation's NOTIFY arrives (re-checked against the database,
// so a reconnect of the listener is no false alarm); and its streams count against limits per
// key and per merchant. A stream ends OK after --stream_max_lifetime_seconds and when the server
// drains: the client resumes from its cursor (docs/lifecycle.md).
namespace returns::api {

struct StreamLimits {
  int per_key = 100;
  int per_merchant = 1000;
  absl::Duration max_lifetime = absl::Hours(1);
};

class LiveStream;
struct StreamShared;

// What a stream reads: the events after its cursor, already encoded. Built by CallRunner from the
// use case's app::LiveSource.
struct EncodedSource {
  std::string watch_key;
  std::function<absl::Status(std::vector<grpc::ByteBuffer>*)> read_batch;
  size_t batch_size = 0;
};

// An opened stream: whose it is (known as soon as the key is, for the log line even of a
// refused stream), and what it reads when `status` is OK.
struct OpenedStream {
  absl::Status status;
  app::Principal principal;
  std::shared_ptr<EncodedSource> source;  // shared with the read in flight; it holds the cursor
};

// All open streams of this process: their limits, their revocation, the periodic pokes that
// stand in for the listener while it is down, the lifetime limit and the drain.
class LiveStreams {
 public:
  LiveStreams(const app::AppContext& app, Executor& executor, StreamLimits limits);
  ~LiveStreams();  // stops the ticker; streams must be gone (the server shut down first)

  // A reactor for one stream call. `open` runs on the executor: authentication, validation and
  // the use case's open, or the status to end with.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Start(grpc::CallbackServerContext* context,
                                                    const std::string& lane,
                                                    std::function<OpenedStream()> open);

  // A reactor that ends the call at once with `status` (a refused credential).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Refuse(grpc::CallbackServerContext* context,
                                                     const absl::Status& status);

  int open_streams() const;

 private:
  friend class LiveStream;

  // Counts the stream against its key's and merchant's limits; RESOURCE_EXHAUSTED past them.
  absl::Status Admit(const std::shared_ptr<StreamShared>& stream, const app::Principal& principal);
  void Remove(const std::shared_ptr<StreamShared>& stream);
  void Tick();

  struct Entry {
    std::string key_id;
    std::string merchant_id;
  };

  const app::AppContext& app_;
  Executor& executor_;
  const StreamLimits limits_;
  mutable absl::Mutex mu_;
  // Keyed by the stream's shared state, which outlives the reactor: the ticker pokes streams
  // without holding this lock, through that state's own lock.
  std::map<std::shared_ptr<StreamShared>, Entry> streams_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_key_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_merchant_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread ticker_;
};

}  // namespace returns::api
