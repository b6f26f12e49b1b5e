#include "api/live_stream.h"

#include <malloc.h>

#include <deque>
#include <exception>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/call_log.h"
#include "api/call_runner.h"
#include "api/status_mapping.h"
#include "app/use_cases.h"
#include "common/log.h"
#include "domain/errors.h"
#include "storage/change_listener.h"

namespace returns::api {
namespace {

// Without a connected listener, or to be safe with one, streams read this often anyway.
constexpr absl::Duration kPollInterval = absl::Milliseconds(250);
// How many streams must have closed since the last malloc_trim before the ticker trims again.
constexpr size_t kTrimAfterClosed = 1000;
constexpr absl::Duration kSafetyNet = absl::Seconds(30);
// While the listener is down a revocation's NOTIFY can be missed, so keys are re-checked this
// often instead (not at every poll: that would be a query per stream four times a second, just
// when the database is struggling); the reconnect wakes every key's streams to check at once.
constexpr absl::Duration kKeyCheckWhileDeaf = absl::Seconds(5);

}  // namespace

// What outlives a stream's reactor: its lock, and the pointer to the reactor that OnDone clears.
struct StreamShared {
  absl::Mutex mu;
  LiveStream* stream ABSL_GUARDED_BY(mu) = nullptr;
};

// One stream. Every change of state happens under `shared_->mu`; work that blocks (reads,
// the revocation check) runs on the executor with a shared_ptr to that state, and calls the
// reactor only under the lock and only while it is not finished, so a reactor deleted by OnDone
// is never touched.
class LiveStream : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  LiveStream(LiveStreams& streams, grpc::CallbackServerContext* context, const std::string& lane,
             std::function<OpenedStream()> open)
      : streams_(streams), context_(context), shared_(std::make_shared<StreamShared>()) {
    started_ = absl::Now();
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->stream = this;
    }
    auto shared = shared_;
    // `open` reads the call's context and request, which gRPC frees once the call is done; so
    // while it may run, the stream does not finish (FinishLocked defers), and it does not run at
    // all for a stream that ended while it waited in the queue (a client that gave up during a
    // long stall: its reactor may not be deleted before this task runs).
    absl::MutexLock lock(&shared_->mu);
    opening_ = true;
    if (!streams_.executor_.TrySubmit(lane, [shared, open = std::move(open)]() mutable {
          {
            absl::MutexLock lock(&shared->mu);
            LiveStream* stream = shared->stream;  // alive: its Finish waits for this task
            if (stream->finished_) return stream->OpenedLocked(OpenedStream{});
          }
          OpenedStream opened;
          try {
            opened = open();
          } catch (const std::exception&) {  // the stream still ends, and its call with it
            opened.status = absl::InternalError("internal error");
          }
          absl::MutexLock lock(&shared->mu);
          shared->stream->OpenedLocked(std::move(opened));
        })) {
      opening_ = false;
      FinishLocked(ServerBusyError());
    }
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&shared_->mu);
    writing_ = false;
    pending_.pop_front();
    if (finished_) {
      if (deferred_finish_) Finish(*std::exchange(deferred_finish_, std::nullopt));
      return;
    }
    if (!ok) return FinishLocked(absl::CancelledError("the client went away"));
    ContinueLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&shared_->mu);
    FinishLocked(absl::CancelledError("the client cancelled"));
  }

  void OnDone() override {
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->stream = nullptr;
    }
    if (admitted_) streams_.Remove(shared_);
    // Outside the lock: a subscription's end takes the listener's lock, whose callbacks take ours.
    data_subscription_.reset();
    revocation_subscription_.reset();
    delete this;
  }

  // From the ticker, under shared_->mu: the listener is down (read), the key is due a check,
  // the lifetime is over or the server drains (end).
  void PokeLocked(bool read, bool check_key, bool end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    if (end) return FinishLocked(absl::OkStatus());
    if (read || check_key) {
      dirty_ = true;
      check_key_ |= check_key;
      ContinueLocked();
    }
  }

  absl::Time started() const { return started_; }

 private:
  void OpenedLocked(OpenedStream opened) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    opening_ = false;
    if (finished_) {
      if (deferred_finish_) Finish(*std::exchange(deferred_finish_, std::nullopt));
      return;
    }
    principal_ = std::move(opened.principal);
    if (!opened.status.ok()) return FinishLocked(opened.status);
    source_ = std::move(opened.source);
    if (absl::Status admitted = streams_.Admit(shared_, principal_); !admitted.ok()) {
      return FinishLocked(admitted);
    }
    admitted_ = true;
    if (storage::ChangeListener* listener = streams_.app_.change_listener; listener != nullptr) {
      std::weak_ptr<StreamShared> weak = shared_;
      auto wake = [weak](bool key_changed) {
        if (auto shared = weak.lock()) {
          absl::MutexLock lock(&shared->mu);
          if (shared->stream == nullptr) return;
          shared->stream->dirty_ = true;
          shared->stream->check_key_ |= key_changed;
          shared->stream->ContinueLocked();
        }
      };
      data_subscription_ = std::make_unique<storage::ChangeListener::Subscription>(
          listener, source_->watch_key, [wake] { wake(false); });
      revocation_subscription_ = std::make_unique<storage::ChangeListener::Subscription>(
          listener, absl::StrCat("revoked/", principal_.key_id), [wake] { wake(true); });
    }
    dirty_ = true;
    ContinueLocked();
  }

  // The next step: write what was read, else read if something may be new, else wait.
  void ContinueLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    if (finished_ || writing_ || reading_ || !admitted_) return;
    if (!pending_.empty()) {
      writing_ = true;
      StartWrite(&pending_.front());
      return;
    }
    if (!dirty_ && !more_) return;  // idle: no thread, no connection, until woken
    dirty_ = false;
    reading_ = true;
    const bool check_key = std::exchange(check_key_, false);
    auto shared = shared_;
    std::shared_ptr<EncodedSource> source = source_;  // one read at a time: it moves the cursor
    const size_t batch_size = source_->batch_size;
    const app::AppContext& app = streams_.app_;
    const std::string key_id = principal_.key_id;
    // Owed to an admitted stream, so never refused; it waits its key's turn like any call.
    streams_.executor_.Submit(key_id, [shared, source, batch_size, &app, key_id, check_key] {
      absl::Status status = absl::OkStatus();
      if (check_key) {
        absl::StatusOr<bool> revoked = app::IsApiKeyRevoked(app, key_id);
        if (!revoked.ok()) {
          status = revoked.status();
        } else if (*revoked) {
          status = ErrorWithReason(absl::StatusCode::kUnauthenticated, reason::kUnauthenticated,
                                   "the API key was revoked");
        }
      }
      std::vector<grpc::ByteBuffer> batch;
      try {
        if (status.ok()) status = source->read_batch(&batch);
      } catch (const std::exception&) {  // the stream ends (the client resumes) rather than stalls
        status = absl::InternalError("internal error");
      }
      absl::MutexLock lock(&shared->mu);
      if (shared->stream != nullptr)
        shared->stream->ReadLocked(status, std::move(batch), batch_size);
    });
  }

  void ReadLocked(absl::Status status, std::vector<grpc::ByteBuffer> batch, size_t batch_size)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    reading_ = false;
    if (finished_) return;
    if (!status.ok()) return FinishLocked(status);  // the client resumes from its cursor
    more_ = batch.size() >= batch_size;
    for (auto& event : batch) pending_.push_back(std::move(event));
    ContinueLocked();
  }

  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    if (finished_) return;
    finished_ = true;
    CallNote note;
    note.merchant_id = principal_.merchant_id;
    note.key_id = principal_.key_id;
    note.stream_seconds = absl::ToDoubleSeconds(absl::Now() - started_);
    if (!status.ok()) note.reason = ReasonOf(status);
    AnnotateCall(context_, std::move(note));
    // A write in flight finishes first (its buffer must live until OnWriteDone), and so does the
    // open (it reads the context and the request, which live until the call is done).
    if (writing_ || opening_) {
      deferred_finish_ = ToGrpcStatus(status);
    } else {
      Finish(ToGrpcStatus(status));
    }
  }

  LiveStreams& streams_;
  grpc::CallbackServerContext* const context_;
  const std::shared_ptr<StreamShared> shared_;
  absl::Time started_;
  app::Principal principal_;
  std::shared_ptr<EncodedSource> source_;
  bool admitted_ = false;
  std::unique_ptr<storage::ChangeListener::Subscription> data_subscription_;
  std::unique_ptr<storage::ChangeListener::Subscription> revocation_subscription_;
  // Guarded by shared_->mu.
  std::deque<grpc::ByteBuffer> pending_;
  bool writing_ = false;
  bool reading_ = false;
  bool dirty_ = false;      // something may have committed since the last read
  bool more_ = false;       // the last read filled a batch: read on without waiting
  bool check_key_ = false;  // re-check the key's revocation with the next read
  bool finished_ = false;
  bool opening_ = false;  // the open task may be running: it reads context_ and the request
  std::optional<grpc::Status> deferred_finish_;
};

LiveStreams::LiveStreams(const app::AppContext& app, Executor& executor, StreamLimits limits)
    : app_(app), executor_(executor), limits_(limits), ticker_([this] { Tick(); }) {}

LiveStreams::~LiveStreams() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  ticker_.join();
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* LiveStreams::Start(grpc::CallbackServerContext* context,
                                                               const std::string& lane,
                                                               std::function<OpenedStream()> open) {
  return new LiveStream(*this, context, lane, std::move(open));
}

namespace {
class RefusedStream : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  RefusedStream(grpc::CallbackServerContext* context, const absl::Status& status) {
    CallNote note;
    note.reason = ReasonOf(status);
    AnnotateCall(context, std::move(note));
    Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};
}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* LiveStreams::Refuse(
    grpc::CallbackServerContext* context, const absl::Status& status) {
  return new RefusedStream(context, status);
}

int LiveStreams::open_streams() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

absl::Status LiveStreams::Admit(const std::shared_ptr<StreamShared>& stream,
                                const app::Principal& principal) {
  absl::MutexLock lock(&mu_);
  auto refuse = [](absl::string_view whose, int limit) {
    return ErrorWithReason(absl::StatusCode::kResourceExhausted, reason::kStreamLimit,
                           absl::StrCat(whose, " has ", limit,
                                        " open streams, its limit on this server; close one first"),
                           {{"limit", absl::StrCat(limit)}, {"retry_delay_ms", "1000"}});
  };
  if (per_key_[principal.key_id] >= limits_.per_key) return refuse("this API key", limits_.per_key);
  if (per_merchant_[principal.merchant_id] >= limits_.per_merchant) {
    return refuse("this merchant", limits_.per_merchant);
  }
  ++per_key_[principal.key_id];
  ++per_merchant_[principal.merchant_id];
  streams_.emplace(stream, Entry{principal.key_id, principal.merchant_id});
  return absl::OkStatus();
}

void LiveStreams::Remove(const std::shared_ptr<StreamShared>& stream) {
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  if (--per_key_[it->second.key_id] == 0) per_key_.erase(it->second.key_id);
  if (--per_merchant_[it->second.merchant_id] == 0) per_merchant_.erase(it->second.merchant_id);
  streams_.erase(it);
}

void LiveStreams::Tick() {
  absl::Time last_safety_net = absl::Now();
  absl::Time last_key_check = absl::Now();
  size_t peak_since_trim = 0;
  for (;;) {
    std::vector<std::shared_ptr<StreamShared>> streams;
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), kPollInterval)) return;
      streams.reserve(streams_.size());
      for (const auto& [stream, entry] : streams_) streams.push_back(stream);
    }
    // Each open stream holds about 19 kB (gRPC's call and HTTP/2 state). glibc keeps what closed
    // streams freed in its arenas, so without this the process stays at its peak and creeps up
    // from one burst of streams to the next (docs/performance.md, "Memory"). Once a thousand or
    // more have closed since the last trim, or the last one has, hand the free pages back.
    peak_since_trim = std::max(peak_since_trim, streams.size());
    const size_t closed = peak_since_trim - streams.size();
    if (closed >= kTrimAfterClosed || (closed > 0 && streams.empty())) {
      malloc_trim(0);
      peak_since_trim = streams.size();
    }
    const absl::Time now = absl::Now();
    const bool listening = app_.change_listener != nullptr && app_.change_listener->connected();
    const bool safety_net = now - last_safety_net >= kSafetyNet;
    if (safety_net) last_safety_net = now;
    const bool check_keys =
        safety_net || (!listening && now - last_key_check >= kKeyCheckWhileDeaf);
    if (check_keys) last_key_check = now;
    const bool draining = app_.draining != nullptr && app_.draining->HasBeenNotified();
    // Without this registry's lock: a stream's lock is taken before ours (Admit), never after.
    for (const auto& shared : streams) {
      absl::MutexLock lock(&shared->mu);
      if (shared->stream == nullptr) continue;
      const bool end = draining || now - shared->stream->started() >= limits_.max_lifetime;
      shared->stream->PokeLocked(!listening || safety_net, check_keys, end);
    }
  }
}

}  // namespace returns::api
