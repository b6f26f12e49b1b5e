#pragma once

#include <string>
#include <vector>

namespace returns::testing {

// The invariants every database of this service keeps, whatever ran against it and whatever
// broke meanwhile (docs/reliability.md lists them):
//   - an order line's returned quantity is the sum of its live return lines, within what was
//   bought;
//   - no exchange token redeemed twice;
//   - reserved stock is what live tokens hold, and on-hand is never negative;
//   - every refund, credit, upsell and resolution of a return requested at most once, every
//     charge raised once per attempt, a collected charge refunded at most once;
//   - every return and token has the event of its creation; every timeline event exactly one
//     change-feed row, every feed row its event and a resource that exists;
//   - each merchant's feed sequences are 1..N without a gap or a repeat;
//   - no job lost (done, waiting to run, or dead with its error);
//   - every stored CreateReturn and IssueExchangeToken response names a resource that exists.
struct InvariantViolation {
  std::string name;
  std::vector<std::string> rows;  // the rows that break it, described (at most max_rows)
};

// Checks them all over the database at `database_url`, in one snapshot; empty when all hold.
std::vector<InvariantViolation> CheckInvariants(const std::string& database_url, int max_rows = 10);

// How many invariants CheckInvariants checks (for reports).
int InvariantCount();

// The violations as text, one invariant per line and its rows indented below.
std::string Describe(const std::vector<InvariantViolation>& violations);

}  // namespace returns::testing
