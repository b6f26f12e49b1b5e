// The change feed's promise, under real concurrency: writers commit (and roll back) events of
// two merchants with random pauses before their commit, so commits land out of insert order;
// two sequencers number the feed at once, as two replicas would; cursor readers follow each
// merchant's feed and each order's WatchTimeline (reopening it from the last event_id now and
// then) while all this happens. Checked against a model of what committed:
//   - every committed event reaches every reader exactly once, and no rolled-back one ever does
//     (a cursor never skips a late commit);
//   - each merchant's sequences are 1..N without a gap;
//   - a transaction that committed before another began is numbered before it, and the events
//     of one transaction keep their order.
// Seeded and reproducible: RETURNS_FEED_SEED runs one seed (default: seeds 1 and 2).
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "app/use_cases.h"
#include "app_fixture.h"
#include "nlohmann/json.hpp"
#include "storage/event_store.h"
#include "storage/timeline_store.h"
#include "storage/transaction.h"

namespace returns::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWriters = 6;
constexpr int kTransactionsPerWriter = 40;
constexpr int kOrdersPerMerchant = 3;

// One transaction a writer ran, as the model remembers it.
struct Written {
  std::string merchant_id;
  std::string order_id;
  std::vector<std::string> labels;  // its events, in insert order
  bool committed = false;
  Clock::time_point began;  // before its first insert
  Clock::time_point commit_returned;
};

// What one reader saw: labels with their feed sequence (StreamEvents) or event id (WatchTimeline).
struct Seen {
  std::vector<std::pair<int64_t, std::string>> events;
};

class ChangeFeedOrderTest : public AppTest {
 protected:
  void Run(uint32_t seed);

  std::string Label(const std::string& payload) {
    return nlohmann::json::parse(payload).at("label").get<std::string>();
  }
};

void ChangeFeedOrderTest::Run(uint32_t seed) {
  SCOPED_TRACE(absl::StrCat("RETURNS_FEED_SEED=", seed));
  const std::vector<std::string> merchants = {merchant_id_,
                                              CreateTestMerchant(db_.url(), "Second").merchant_id};
  // Baselines: the merchants' feeds may hold events of an earlier seed.
  std::map<std::string, int64_t> base;
  for (const auto& merchant : merchants) {
    base[merchant] = std::stoll(Scalar(
        absl::StrCat("SELECT coalesce(max(sequence), 0) FROM outbox_events WHERE merchant_id = '",
                     merchant, "'")));
  }
  std::vector<std::pair<std::string, std::string>> orders;  // (merchant, order)
  for (const auto& merchant : merchants) {
    for (int i = 0; i < kOrdersPerMerchant; ++i) {
      const std::string order_id = absl::StrCat("feed-", seed, "-", i);
      Scalar(absl::StrCat(
          "INSERT INTO orders (merchant_id, order_id, currency_code, content_hash) VALUES ('",
          merchant, "', '", order_id, "', 'EUR', 'x')"));
      orders.emplace_back(merchant, order_id);
    }
  }

  std::atomic<bool> writers_done{false};
  std::atomic<bool> sequencers_done{false};

  // Writers: each its own connection, one transaction after another.
  std::vector<std::vector<Written>> written(kWriters);
  std::vector<std::thread> threads;
  storage::ConnectionPool writer_pool(db_.url(), kWriters);
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::mt19937 rng(seed * 1000 + w);
      for (int k = 0; k < kTransactionsPerWriter; ++k) {
        Written tx_record;
        const auto& [merchant, order] = orders[rng() % orders.size()];
        tx_record.merchant_id = merchant;
        tx_record.order_id = order;
        const int events = 1 + rng() % 3;
        const bool roll_back = rng() % 5 == 0;
        const auto pause = std::chrono::microseconds(rng() % 4000);
        tx_record.began = Clock::now();
        absl::Status status = storage::RunTransaction(
            writer_pool, "FeedWriter", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
              tx_record.labels.clear();
              for (int e = 0; e < events; ++e) {
                const std::string label = absl::StrCat(seed, "-", w, "-", k, "-", e);
                storage::TimelineStore(tx).RecordEvent(merchant, order, "order", order,
                                                       "test.event", "", label, "",
                                                       nlohmann::json{{"label", label}}.dump());
                tx_record.labels.push_back(label);
                if (e == 0) std::this_thread::sleep_for(pause);  // commits land out of insert order
              }
              return roll_back ? absl::AbortedError("rolled back on purpose") : absl::OkStatus();
            });
        tx_record.commit_returned = Clock::now();
        tx_record.committed = status.ok();
        if (!roll_back) {
          ASSERT_TRUE(status.ok()) << status;
        }
        written[w].push_back(std::move(tx_record));
      }
    });
  }

  // Two sequencers at once, as on two replicas, with small passes so that backlogs and many
  // passes happen.
  std::vector<std::thread> sequencers;
  for (int s = 0; s < 2; ++s) {
    sequencers.emplace_back([&, s] {
      storage::ConnectionPool own(db_.url(), 1);
      std::mt19937 rng(seed * 7 + s);
      while (true) {
        const bool last_round = writers_done.load();
        absl::StatusOr<int> numbered = app::SequenceChangeFeed(own, 1 + rng() % 5);
        ASSERT_TRUE(numbered.ok()) << numbered.status();
        if (last_round && *numbered == 0) return;
        if (*numbered == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 1000));
      }
    });
  }

  // Readers follow the feed while it is written.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  std::map<std::string, std::vector<Seen>> feed_seen;  // per merchant, two readers
  std::map<std::string, Seen> watch_seen;              // per order
  absl::Mutex seen_mu;
  std::vector<std::thread> readers;
  for (const auto& merchant : merchants) {
    for (int r = 0; r < 2; ++r) {
      readers.emplace_back([&, merchant, r] {
        Seen seen;
        int64_t cursor = base[merchant];
        while (absl::Now() < give_up) {
          const bool finished = sequencers_done.load();
          int got = 0;
          absl::Status status = storage::RunSingleRead(
              pool_, "FeedReader", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
                for (const v1::ChangeEvent& event :
                     storage::EventStore(tx).ListChangeEvents(merchant, cursor, 2 + r)) {
                  cursor = event.sequence();
                  seen.events.emplace_back(cursor,
                                           event.payload().fields().at("label").string_value());
                  ++got;
                }
                return absl::OkStatus();
              });
          ASSERT_TRUE(status.ok()) << status;
          if (finished && got == 0) break;
        }
        absl::MutexLock lock(&seen_mu);
        feed_seen[merchant].push_back(std::move(seen));
      });
    }
  }
  for (const auto& [merchant, order] : orders) {
    readers.emplace_back([&, merchant = merchant, order = order] {
      std::mt19937 rng(std::hash<std::string>()(order));
      app::CallContext call;
      call.merchant_id = merchant;
      call.deadline = absl::Now() + absl::Seconds(60);
      Seen seen;
      int64_t last_event_id = 0;
      auto open = [&] {
        v1::WatchTimelineRequest request;
        request.set_order_id(order);
        request.set_after_event_id(last_event_id);
        auto source = app::OpenWatchTimeline(app_, call, request);
        EXPECT_TRUE(source.ok()) << source.status();
        return *std::move(source);
      };
      app::LiveSource<v1::TimelineEvent> source = open();
      while (absl::Now() < give_up) {
        const bool finished = sequencers_done.load();
        std::vector<v1::TimelineEvent> batch;
        absl::Status status = source.read_batch(&batch);
        ASSERT_TRUE(status.ok()) << status;
        for (const auto& event : batch) {
          last_event_id = std::stoll(event.event_id());
          seen.events.emplace_back(last_event_id, event.summary());
        }
        if (finished && batch.empty()) break;
        if (rng() % 4 == 0) source = open();  // a client resuming with its last event_id
      }
      absl::MutexLock lock(&seen_mu);
      watch_seen[absl::StrCat(merchant, "/", order)] = std::move(seen);
    });
  }

  for (auto& thread : threads) thread.join();
  writers_done = true;
  for (auto& thread : sequencers) thread.join();
  sequencers_done = true;
  for (auto& thread : readers) thread.join();
  if (HasFatalFailure()) return;

  // The model: what committed, per merchant and per order, in the order the database numbered
  // it (the feed itself is checked against the model below).
  std::set<std::string> committed_labels, rolled_back_labels;
  std::vector<const Written*> committed;
  for (const auto& per_writer : written) {
    for (const auto& tx : per_writer) {
      (tx.committed ? committed_labels : rolled_back_labels)
          .insert(tx.labels.begin(), tx.labels.end());
      if (tx.committed) committed.push_back(&tx);
    }
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox_pending"), "0");
  std::map<std::string, int64_t> sequence_of;                        // label -> its feed sequence
  std::map<std::string, std::vector<std::string>> feed_of_merchant;  // labels by sequence
  std::map<std::string, std::vector<std::string>> feed_of_order;     // "<merchant>/<order>" -> same
  for (const auto& merchant : merchants) {
    pqxx::connection conn(db_.url());
    pqxx::nontransaction read(conn);
    int64_t expected = base[merchant];
    for (const auto& row : read.exec_params("SELECT sequence, payload::text, order_id FROM "
                                            "outbox_events WHERE merchant_id = $1 AND "
                                            "sequence > $2 ORDER BY sequence",
                                            merchant, base[merchant])) {
      EXPECT_EQ(row["sequence"].as<int64_t>(), ++expected) << "a gap or a repeat in the sequences";
      const std::string label = Label(row["payload"].as<std::string>());
      sequence_of[label] = row["sequence"].as<int64_t>();
      feed_of_merchant[merchant].push_back(label);
      feed_of_order[absl::StrCat(merchant, "/", row["order_id"].as<std::string>())].push_back(
          label);
    }
  }
  for (const auto& label : rolled_back_labels) EXPECT_EQ(sequence_of.count(label), 0u) << label;
  std::set<std::string> numbered;
  for (const auto& [label, sequence] : sequence_of) numbered.insert(label);
  EXPECT_EQ(numbered, committed_labels);

  // Order consistent with commit order.
  for (const Written* tx : committed) {
    for (size_t i = 1; i < tx->labels.size(); ++i) {
      EXPECT_LT(sequence_of[tx->labels[i - 1]], sequence_of[tx->labels[i]]) << tx->labels[i];
    }
  }
  int causal_pairs = 0;
  for (const Written* a : committed) {
    for (const Written* b : committed) {
      if (a->merchant_id != b->merchant_id || a->commit_returned >= b->began) continue;
      ++causal_pairs;
      EXPECT_LT(sequence_of[a->labels.back()], sequence_of[b->labels.front()])
          << a->labels.back() << " committed before " << b->labels.front() << " began";
    }
  }
  EXPECT_GT(causal_pairs, 0);

  // Every reader got exactly the committed events, once each, in feed order.
  for (const auto& merchant : merchants) {
    ASSERT_EQ(feed_seen[merchant].size(), 2u);
    for (const Seen& seen : feed_seen[merchant]) {
      std::vector<std::string> got;
      for (const auto& [sequence, label] : seen.events) got.push_back(label);
      EXPECT_EQ(got, feed_of_merchant[merchant]) << "feed reader of " << merchant;
    }
  }
  for (const auto& [key, seen] : watch_seen) {
    std::vector<std::string> got;
    for (const auto& [event_id, label] : seen.events) got.push_back(label);
    EXPECT_EQ(got, feed_of_order[key]) << "WatchTimeline of " << key;
  }
}

TEST_F(ChangeFeedOrderTest, EveryCommittedEventOnceInCommitConsistentOrder) {
  if (const char* seed = std::getenv("RETURNS_FEED_SEED")) {
    Run(static_cast<uint32_t>(std::strtoul(seed, nullptr, 10)));
    return;
  }
  for (uint32_t seed : {1u, 2u}) {
    Run(seed);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

class WatchTimelineResumeTest : public AppTest {
 protected:
  // Writes one committed timeline event of `order` and returns its event id.
  int64_t Write(const std::string& order, const std::string& label) {
    absl::Status status = storage::RunTransaction(
        pool_, "Write", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          storage::TimelineStore(tx).RecordEvent(merchant_id_, order, "order", order, "test.event",
                                                 "", label, "",
                                                 nlohmann::json{{"label", label}}.dump());
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return std::stoll(Scalar(
        absl::StrCat("SELECT max(event_id) FROM timeline_events WHERE summary = '", label, "'")));
  }
  std::vector<std::string> Read(app::LiveSource<v1::TimelineEvent>& source) {
    std::vector<v1::TimelineEvent> batch;
    absl::Status status = source.read_batch(&batch);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<std::string> labels;
    for (const auto& event : batch) labels.push_back(event.summary());
    return labels;
  }
  app::LiveSource<v1::TimelineEvent> Open(const std::string& order, int64_t after_event_id) {
    v1::WatchTimelineRequest request;
    request.set_order_id(order);
    request.set_after_event_id(after_event_id);
    auto source = app::OpenWatchTimeline(app_, Call(), request);
    EXPECT_TRUE(source.ok()) << source.status();
    return *std::move(source);
  }
};

TEST_F(WatchTimelineResumeTest, ResumesAfterAnEventStillWaitingForTheSequencerOnceItIsNumbered) {
  Scalar(absl::StrCat(
      "INSERT INTO orders (merchant_id, order_id, currency_code, content_hash) VALUES ('",
      merchant_id_, "', 'o1', 'EUR', 'x')"));
  Write("o1", "first");
  SequenceFeed();
  const int64_t second = Write("o1", "second");  // committed, not yet numbered
  // A client that got `second` from GetTimeline resumes after it: nothing until it is numbered,
  // then only what comes after it.
  auto source = Open("o1", second);
  EXPECT_TRUE(Read(source).empty());
  Write("o1", "third");
  SequenceFeed();
  EXPECT_EQ(Read(source), std::vector<std::string>({"third"}));

  // From the start, in feed order.
  auto all = Open("o1", 0);
  EXPECT_EQ(Read(all), std::vector<std::string>({"first", "second", "third"}));
}

TEST_F(WatchTimelineResumeTest,
       ANumberThatIsNoEventOfTheOrderResumesAfterTheNewestEventAtOrBelowIt) {
  for (const char* order : {"o1", "o2"}) {
    Scalar(absl::StrCat(
        "INSERT INTO orders (merchant_id, order_id, currency_code, content_hash) VALUES ('",
        merchant_id_, "', '", order, "', 'EUR', 'x')"));
  }
  const int64_t a = Write("o1", "a");
  const int64_t other = Write("o2", "other");  // an event id of another order
  Write("o1", "b");
  SequenceFeed();
  ASSERT_GT(other, a);
  auto source = Open("o1", other);
  EXPECT_EQ(Read(source), std::vector<std::string>({"b"}));
}

}  // namespace
}  // namespace returns::testing
