#include "invariants.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "returns/v1/exchange_service.pb.h"
#include "returns/v1/return.pb.h"

namespace returns::testing {
namespace {

// Each invariant is a query for the rows that break it, one text column describing each row.
struct Invariant {
  const char* name;
  const char* sql;
};

// Events are counted on timeline_events: every committed change has exactly one there, whether
// or not the sequencer has numbered its feed row yet.
constexpr Invariant kInvariants[] = {
    {"an order line's returned quantity is the sum of its live return lines, within what was "
     "bought",
     R"sql(
SELECT ol.merchant_id || ' ' || ol.order_id || '/' || ol.line_id || ': returned ' || ol.returned_quantity ||
       ' of ' || ol.quantity || ', live return lines ' || coalesce(r.n, 0)
  FROM order_lines ol
  LEFT JOIN (SELECT rl.merchant_id, rl.order_id, rl.order_line_id, sum(rl.quantity) AS n
               FROM return_lines rl JOIN returns rt USING (merchant_id, return_id)
              WHERE rt.state NOT IN ('CANCELLED', 'REJECTED')
              GROUP BY 1, 2, 3) r
         ON r.merchant_id = ol.merchant_id AND r.order_id = ol.order_id AND r.order_line_id = ol.line_id
 WHERE ol.returned_quantity <> coalesce(r.n, 0) OR ol.returned_quantity > ol.quantity)sql"},
    {"no exchange token redeemed twice",
     R"sql(
SELECT merchant_id || ' ' || resource_id || ': redeemed ' || count(*) || ' times'
  FROM timeline_events WHERE event_type = 'exchange_token.redeemed'
 GROUP BY merchant_id, resource_id HAVING count(*) > 1)sql"},
    {"reserved stock is what live (ISSUED) tokens hold; on-hand never negative",
     R"sql(
SELECT l.merchant_id || ' ' || l.sku || ': reserved ' || l.reserved || ', on hand ' || l.on_hand ||
       ', ISSUED tokens hold ' || coalesce(t.n, 0)
  FROM inventory_levels l
  LEFT JOIN (SELECT merchant_id, replacement_sku, sum(quantity) AS n FROM exchange_tokens
              WHERE state = 'ISSUED' GROUP BY 1, 2) t
         ON t.merchant_id = l.merchant_id AND t.replacement_sku = l.sku
 WHERE l.reserved <> coalesce(t.n, 0) OR l.on_hand < 0)sql"},
    {"every refund, credit, upsell and resolution of a return requested at most once",
     R"sql(
SELECT merchant_id || ' ' || resource_id || ': ' || event_type || ' ' || count(*) || ' times'
  FROM timeline_events
 WHERE event_type IN ('return.refund_requested', 'return.store_credit_requested', 'return.upsell_requested',
                      'return.downsell_credit_requested', 'return.resolved')
 GROUP BY merchant_id, resource_id, event_type HAVING count(*) > 1)sql"},
    {"a token's charges raised are its charge attempts, and a collected charge is refunded at most "
     "once",
     R"sql(
SELECT t.merchant_id || ' ' || t.exchange_token_id || ': charge_attempt ' || t.charge_attempt ||
       ', charge_due events ' || coalesce(d.n, 0) || ', charge_refund_due events ' || coalesce(f.n, 0)
  FROM exchange_tokens t
  LEFT JOIN (SELECT merchant_id, resource_id, count(*) AS n FROM timeline_events
              WHERE event_type = 'exchange_token.charge_due' GROUP BY 1, 2) d
         ON d.merchant_id = t.merchant_id AND d.resource_id = t.exchange_token_id::text
  LEFT JOIN (SELECT merchant_id, resource_id, count(*) AS n FROM timeline_events
              WHERE event_type = 'exchange_token.charge_refund_due' GROUP BY 1, 2) f
         ON f.merchant_id = t.merchant_id AND f.resource_id = t.exchange_token_id::text
 WHERE t.charge_attempt <> coalesce(d.n, 0) OR coalesce(f.n, 0) > 1)sql"},
    {"every return and every token has the event of its creation",
     R"sql(
SELECT merchant_id || ' return ' || return_id FROM returns r
 WHERE NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.merchant_id = r.merchant_id
                      AND e.resource_id = r.return_id::text AND e.event_type = 'return.requested')
UNION ALL
SELECT merchant_id || ' token ' || exchange_token_id FROM exchange_tokens t
 WHERE NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.merchant_id = t.merchant_id
                      AND e.resource_id = t.exchange_token_id::text AND e.event_type = 'exchange_token.issued'))sql"},
    {"every timeline event has exactly one change-feed row (numbered or pending), and every feed "
     "row its event",
     R"sql(
WITH feed AS (SELECT merchant_id, timeline_event_id FROM outbox_events
              UNION ALL SELECT merchant_id, timeline_event_id FROM outbox_pending)
SELECT e.merchant_id || ' event ' || e.event_id || ' (' || e.event_type || '): ' || count(f.timeline_event_id) || ' feed rows'
  FROM timeline_events e LEFT JOIN feed f ON f.merchant_id = e.merchant_id AND f.timeline_event_id = e.event_id
 GROUP BY e.merchant_id, e.event_id, e.event_type HAVING count(f.timeline_event_id) <> 1
UNION ALL
SELECT f.merchant_id || ' feed row of event ' || coalesce(f.timeline_event_id::text, 'none') || ': no such event'
  FROM feed f
 WHERE NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.merchant_id = f.merchant_id AND e.event_id = f.timeline_event_id))sql"},
    {"every change-feed row names a resource that exists",
     R"sql(
SELECT f.merchant_id || ' ' || f.aggregatetype || ' ' || f.aggregateid || ' (' || f.type || ')'
  FROM (SELECT merchant_id, aggregatetype, aggregateid, type FROM outbox_events
        UNION ALL SELECT merchant_id, aggregatetype, aggregateid, type FROM outbox_pending) f
 WHERE (f.aggregatetype = 'return' AND NOT EXISTS (SELECT 1 FROM returns r
          WHERE r.merchant_id = f.merchant_id AND r.return_id::text = f.aggregateid))
    OR (f.aggregatetype = 'exchange_token' AND NOT EXISTS (SELECT 1 FROM exchange_tokens t
          WHERE t.merchant_id = f.merchant_id AND t.exchange_token_id::text = f.aggregateid))
    OR (f.aggregatetype = 'shipment' AND NOT EXISTS (SELECT 1 FROM shipments s
          WHERE s.merchant_id = f.merchant_id AND s.shipment_id::text = f.aggregateid))
    OR (f.aggregatetype = 'order' AND NOT EXISTS (SELECT 1 FROM orders o
          WHERE o.merchant_id = f.merchant_id AND o.order_id = f.aggregateid))
    OR (f.aggregatetype = 'job' AND NOT EXISTS (SELECT 1 FROM jobs j
          WHERE j.merchant_id = f.merchant_id AND j.job_id::text = f.aggregateid))
    OR (f.aggregatetype = 'claim' AND NOT EXISTS (SELECT 1 FROM claims c
          WHERE c.merchant_id = f.merchant_id AND c.claim_id::text = f.aggregateid)))sql"},
    {"a line's claimed units are the units of its claims not denied, and with its returned units "
     "at most what was bought",
     R"sql(
SELECT ol.merchant_id || ' ' || ol.order_id || '/' || ol.line_id || ': claimed ' || ol.claimed_quantity ||
       ', in claims ' || coalesce(c.n, 0) || ', returned ' || ol.returned_quantity || ', bought ' || ol.quantity
  FROM order_lines ol
  LEFT JOIN (SELECT cl.merchant_id, c.order_id, cl.order_line_id, sum(cl.quantity) AS n
               FROM claim_lines cl JOIN claims c USING (merchant_id, claim_id)
              WHERE c.state <> 'DENIED' GROUP BY 1, 2, 3) c
         ON c.merchant_id = ol.merchant_id AND c.order_id = ol.order_id AND c.order_line_id = ol.line_id
 WHERE ol.claimed_quantity <> coalesce(c.n, 0) OR ol.claimed_quantity + ol.returned_quantity > ol.quantity)sql"},
    {"every automated state change has its Decision: each claim the automation moved past intake, "
     "each issued exchange token, each receipt sent to review",
     R"sql(
SELECT e.merchant_id || ' ' || e.resource_type || ' ' || e.resource_id || ': ' || e.event_type || ' without its decision'
  FROM timeline_events e
 WHERE (e.event_type IN ('claim.escalated') OR (e.event_type = 'claim.approved' AND e.summary LIKE 'Claim approved automatically%'))
   AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = e.merchant_id
                      AND d.subject = 'claims/' || e.resource_id AND d.kind = 'claim_adjudication'
                      AND d.outcome = CASE e.event_type WHEN 'claim.escalated' THEN 'ESCALATED' ELSE 'APPROVED' END)
    OR (e.event_type = 'exchange_token.issued'
        AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = e.merchant_id
                           AND d.subject = 'exchange_tokens/' || e.resource_id AND d.kind = 'instant_exchange'))
    OR (e.event_type = 'return.review_requested'
        AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = e.merchant_id
                           AND d.subject = 'returns/' || e.resource_id AND d.kind = 'return_resolution'
                           AND d.outcome = 'ESCALATED')))sql"},
    {"automation never denies: every DENIED decision and every denied claim is a person's",
     R"sql(
SELECT merchant_id || ' decision ' || decision_id || ' (' || kind || ') denied by ' || rule_version
  FROM decisions WHERE outcome = 'DENIED' AND rule_version <> 'manual'
UNION ALL
SELECT c.merchant_id || ' claim ' || c.claim_id || ' DENIED without a person''s decision'
  FROM claims c
 WHERE c.state = 'DENIED'
   AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = c.merchant_id
                      AND d.subject = 'claims/' || c.claim_id
                      AND (d.override_outcome = 'DENIED' OR (d.outcome = 'DENIED' AND d.rule_version = 'manual'))))sql"},
    {"a claim's refund is requested at most once, and only for a resolved REFUND claim",
     R"sql(
SELECT c.merchant_id || ' claim ' || c.claim_id || ' (' || c.state || ', ' || c.resolution || '): ' ||
       count(e.event_id) || ' refund requests'
  FROM claims c
  LEFT JOIN timeline_events e ON e.merchant_id = c.merchant_id AND e.resource_id = c.claim_id::text
                             AND e.event_type = 'claim.refund_requested'
 GROUP BY c.merchant_id, c.claim_id, c.state, c.resolution
HAVING count(e.event_id) <> CASE WHEN c.state = 'RESOLVED' AND c.resolution = 'REFUND' THEN 1 ELSE 0 END)sql"},
    {"each merchant's feed sequences are 1..N without a gap or a repeat, N its counter",
     R"sql(
SELECT s.merchant_id || ': counter ' || s.last_sequence || ', rows ' || coalesce(f.n, 0) || ', distinct ' ||
       coalesce(f.d, 0) || ', max ' || coalesce(f.top, 0)
  FROM change_feed_sequences s
  LEFT JOIN (SELECT merchant_id, count(*) AS n, count(DISTINCT sequence) AS d, max(sequence) AS top
               FROM outbox_events GROUP BY 1) f USING (merchant_id)
 WHERE coalesce(f.n, 0) <> s.last_sequence OR coalesce(f.d, 0) <> s.last_sequence
    OR coalesce(f.top, 0) <> s.last_sequence)sql"},
    {"no job lost: every job is done, waiting to run, or dead with its error",
     R"sql(
SELECT merchant_id || ' job ' || job_id || ' (' || kind || '): ' || state
  FROM jobs
 WHERE state NOT IN ('SUCCEEDED', 'PENDING', 'RUNNING', 'DEAD')
    OR (state = 'DEAD' AND last_error = '')
    OR (state = 'RUNNING' AND locked_until IS NULL))sql"},
    {"a photo is pending only while its ASSESS_EVIDENCE job is to run",
     R"sql(
SELECT e.merchant_id || ' evidence ' || e.evidence_id || ': pending, its job ' ||
       coalesce(j.state, 'missing')
  FROM claim_evidence e
  LEFT JOIN jobs j ON j.merchant_id = e.merchant_id
                  AND j.dedup_key = 'assess_evidence:' || e.evidence_id
 WHERE e.assessment_label = 'pending'
   AND coalesce(j.state, 'missing') NOT IN ('PENDING', 'RUNNING'))sql"},
    {"a resolved return's bonus is what its lines earned (the per-line rule of "
     "kpis/retained_revenue.sql): received OK, not withheld, not withdrawn, an exchange's at most "
     "its upsell",
     R"sql(
SELECT r.merchant_id || ' return ' || r.return_id || ': bonus ' || r.bonus_credit_minor || ' + ' ||
       r.exchange_bonus_minor || ', its lines earned ' || coalesce(l.store_credit, 0) || ' + ' ||
       coalesce(l.exchange, 0)
  FROM returns r
  LEFT JOIN LATERAL (
      SELECT sum(rl.bonus_credit_minor) FILTER (WHERE rl.resolution = 'STORE_CREDIT') AS store_credit,
             sum(least(rl.bonus_credit_minor, greatest(rl.upsell_minor, 0)))
                 FILTER (WHERE rl.resolution = 'EXCHANGE') AS exchange
        FROM return_lines rl
       WHERE rl.merchant_id = r.merchant_id AND rl.return_id = r.return_id
         AND rl.condition = 'OK' AND NOT rl.withheld AND NOT r.bonus_withdrawn) l ON true
 WHERE r.resolve_time IS NOT NULL
   AND (r.bonus_credit_minor <> coalesce(l.store_credit, 0)
        OR r.exchange_bonus_minor <> coalesce(l.exchange, 0)))sql"},
    {"KPI rollups only of days over when written (an hour after they end, UTC) within 2000-01-01 "
     "to "
     "2999-12-31, and every rollup row of a marked day",
     R"sql(
SELECT merchant_id || ' ' || to_char(day, 'YYYY-MM-DD') || ': marked rolled up at ' || compute_time
  FROM kpi_rollup_days
 WHERE day < DATE '2000-01-01' OR day > DATE '2999-12-31'
    OR ((compute_time - interval '1 hour') AT TIME ZONE 'UTC')::date <= day
UNION ALL
SELECT merchant_id || ' ' || to_char(day, 'YYYY-MM-DD') || ': a kpi_daily row of a day not marked'
  FROM kpi_daily d
 WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = d.merchant_id AND k.day = d.day)
UNION ALL
SELECT merchant_id || ' ' || to_char(day, 'YYYY-MM-DD') || ': a kpi_resolution_days row of a day not marked'
  FROM kpi_resolution_days r
 WHERE NOT EXISTS (SELECT 1 FROM kpi_rollup_days k WHERE k.merchant_id = r.merchant_id AND k.day = r.day))sql"},
};

// Stored idempotent responses of the creating methods: the resource each names must exist, for
// the same merchant and order (a replay would otherwise answer something that is not there).
void CheckStoredResponses(pqxx::transaction_base& tx, std::vector<InvariantViolation>* out) {
  InvariantViolation broken{
      "every stored CreateReturn and IssueExchangeToken response names a resource that exists", {}};
  for (const auto& row : tx.exec(
           "SELECT k.merchant_id::text, k.method, k.request_id, k.response FROM idempotency_keys k "
           "WHERE k.response IS NOT NULL AND k.method IN ('CreateReturn', 'IssueExchangeToken')")) {
    const std::string merchant = row[0].as<std::string>();
    const std::string method = row[1].as<std::string>();
    const pqxx::binarystring bytes(row[3]);
    std::string table, id_column, id, order_id;
    if (method == "CreateReturn") {
      v1::Return ret;
      if (!ret.ParseFromString(bytes.str())) {
        broken.rows.push_back(
            absl::StrCat(merchant, " ", method, " ", row[2].c_str(), ": not a Return"));
        continue;
      }
      table = "returns", id_column = "return_id", id = ret.return_id(), order_id = ret.order_id();
    } else {
      v1::IssueExchangeTokenResponse issued;
      if (!issued.ParseFromString(bytes.str())) {
        broken.rows.push_back(
            absl::StrCat(merchant, " ", method, " ", row[2].c_str(), ": not a response"));
        continue;
      }
      table = "exchange_tokens", id_column = "exchange_token_id";
      id = issued.exchange_token().exchange_token_id(),
      order_id = issued.exchange_token().order_id();
    }
    const auto found =
        tx.exec_params(absl::StrCat("SELECT 1 FROM ", table, " WHERE merchant_id = $1::uuid AND ",
                                    id_column, "::text = $2 AND order_id = $3"),
                       merchant, id, order_id);
    if (found.empty()) {
      broken.rows.push_back(absl::StrCat(merchant, " ", method, " ", row[2].c_str(), ": names ", id,
                                         " of order ", order_id, ", which is not there"));
    }
  }
  if (!broken.rows.empty()) out->push_back(std::move(broken));
}

}  // namespace

int InvariantCount() { return static_cast<int>(std::size(kInvariants)) + 1; }

std::vector<InvariantViolation> CheckInvariants(const std::string& database_url, int max_rows) {
  pqxx::connection conn(database_url);
  // One snapshot for every check, so a server still writing cannot make two of them disagree.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
  std::vector<InvariantViolation> violations;
  for (const Invariant& invariant : kInvariants) {
    InvariantViolation broken{invariant.name, {}};
    for (const auto& row :
         tx.exec(absl::StrCat("SELECT * FROM (", invariant.sql, ") AS broken LIMIT ", max_rows))) {
      broken.rows.push_back(row[0].is_null() ? "(null)" : row[0].as<std::string>());
    }
    if (!broken.rows.empty()) violations.push_back(std::move(broken));
  }
  CheckStoredResponses(tx, &violations);
  return violations;
}

std::string Describe(const std::vector<InvariantViolation>& violations) {
  std::string text;
  for (const auto& violation : violations) {
    absl::StrAppend(&text, "BROKEN: ", violation.name, "\n");
    for (const auto& row : violation.rows) absl::StrAppend(&text, "  ", row, "\n");
  }
  return text;
}

}  // namespace returns::testing
