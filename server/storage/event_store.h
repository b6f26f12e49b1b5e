#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "returns/v1/events.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// The statements of storage/sql/events/ (the merchant's change feed and the sequencer that
// numbers it after commit), with their rows read by column name.
class EventStore {
 public:
  explicit EventStore(Tx& tx) : tx_(tx) {}

  // events/list_change_events.sql: the change feed after `after_sequence`, in sequence (=
  // commit) order.
  std::vector<v1::ChangeEvent> ListChangeEvents(const std::string& merchant_id,
                                                int64_t after_sequence, int limit);
  // events/lock_feed_sequencer.sql: makes this transaction the only sequencer until it ends.
  void LockFeedSequencer();
  // events/sequence_change_feed.sql: one pass of the sequencer, under LockFeedSequencer;
  // returns how many rows it numbered (fewer than `max_rows`: nothing else was pending).
  int SequenceChangeFeed(int max_rows);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
