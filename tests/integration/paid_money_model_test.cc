// A model-based test of money as paid (docs/money.md): seeded random orders (line and order
// discounts, allocated or given as shares; tax EXCLUSIVE or INCLUSIVE; shipping with or without
// tax; 1-3 tenders adding up to the total) and seeded random interleavings of PreviewReturn +
// CreateReturn, CancelReturn, RejectReturn, ReceiveReturn (every line OK: it resolves and asks
// for its money), ReportMoneyMovementOutcome, RetryMoneyMovement, CancelMoneyMovement and policy
// fee changes, on the real use cases and PostgreSQL. After every step:
//  - a reference model of each line (units, paid and tax left; ShareOfUnits) agrees with
//    order_lines and with every plan: lines' paid, tax, fee, refund or credit; shipping refund;
//    totals; and PreviewReturn's plan is the plan CreateReturn made;
//  - what live returns took of a line (taken_paid_minor) is what they hold, never above paid;
//  - per order, refunds and store credit asked for and not cancelled never exceed what was paid;
//  - per tender, refunded <= amount and = its shares of the REFUNDs not cancelled; a refund is
//    split over the tenders in full;
//  - each (subject, kind) has at most one movement; a resolved return's REFUND and STORE_CREDIT
//    movements are its refund and credit totals; an unresolved return has none;
//  - a SUCCEEDED or CANCELLED movement never changes afterwards;
//  - the shipping refund is held by at most one live return, the one the order names;
//  - an order whose every unit came back in resolved returns: refunds + credits + fees + the
//    shipping not refunded = what was paid.
// RETURNS_MODEL_SEED and RETURNS_MODEL_STEPS choose the run (CI: seeds 1-3 x 300 steps). A
// failure prints the seed and step.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "app_fixture.h"
#include "client/returns_client.h"
#include "domain/paid_money.h"
#include "domain/return_state_machine.h"
#include "google/protobuf/util/message_differencer.h"

namespace returns::testing {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v == nullptr ? fallback : std::atoi(v);
}

v1::Money Usd(int64_t minor) {
  v1::Money money;
  money.set_currency_code("USD");
  money.set_amount_minor(minor);
  return money;
}

// The policy's default shipping_refund_reasons.
bool RefundsShipping(v1::ReturnReason reason) {
  return reason == v1::RETURN_REASON_DAMAGED || reason == v1::RETURN_REASON_WRONG_ITEM ||
         reason == v1::RETURN_REASON_DEFECTIVE || reason == v1::RETURN_REASON_NOT_AS_DESCRIBED;
}

struct Fees {
  int64_t fixed = 0, bp = 0, credit_fixed = 0, credit_bp = 0, return_shipping = 0;
  // Bonus credit on store credit (docs/policy.md): per line, capped per return (0: no cap), and
  // whether it waives store credit's fees.
  int64_t bonus_fixed = 0, bonus_bp = 0, bonus_cap = 0;
  bool waives_fees = false;
};
struct ModelLine {
  int32_t quantity = 0;
  LineRemainder left;  // units, paid and tax not taken by live returns
};
struct ModelOrder {
  std::string id;
  int64_t shipping_paid = 0;
  bool has_payments = false;
  std::vector<ModelLine> lines;  // L0, L1, ...
  std::string shipping_return;   // the live return that refunds the shipping
};
struct ModelReturn {
  std::string id;
  size_t order = 0;
  struct Taken {
    size_t line;
    int32_t units;
    UnitsShare share;
  };
  std::vector<Taken> taken;
  v1::SettlementPlan plan;
  bool open = true;  // neither resolved nor cancelled nor rejected
};

class PaidMoneyModelTest : public AppTest {
 protected:
  int64_t Pick(int64_t n) { return std::uniform_int_distribution<int64_t>(0, n - 1)(rng_); }
  pqxx::result Read(const std::string& sql) {
    pqxx::nontransaction tx(conn_);
    return tx.exec(sql);
  }

  void SetFees() {
    fees_ = {Pick(3) ? 0 : Pick(400),  Pick(2) ? 0 : Pick(2501),    Pick(3) ? 0 : Pick(300),
             Pick(2) ? 0 : Pick(2001), Pick(2) ? 0 : Pick(700),     Pick(2) ? 0 : Pick(500),
             Pick(2) ? 0 : Pick(2001), Pick(2) ? 0 : 1 + Pick(900), Pick(4) == 0};
    Scalar(absl::StrCat("UPDATE policies SET store_credit_bonus_minor = ", fees_.bonus_fixed,
                        ", store_credit_bonus_basis_points = ", fees_.bonus_bp,
                        ", bonus_cap_per_return_minor = ", fees_.bonus_cap,
                        ", bonus_waives_fees = ", fees_.waives_fees ? "true" : "false"));
    Scalar(absl::StrCat("UPDATE policies SET restocking_fee_minor = ", fees_.fixed,
                        ", restocking_fee_basis_points = ", fees_.bp,
                        ", store_credit_restocking_fee_minor = ", fees_.credit_fixed,
                        ", store_credit_restocking_fee_basis_points = ", fees_.credit_bp,
                        ", return_shipping_fee_minor = ", fees_.return_shipping));
  }

  // A storefront's order: tax is added after the discounts are known (never on a zero line).
  absl::StatusOr<OrderMoney> RandomOrder(const std::string& id, v1::UpsertOrderRequest* request) {
    request->set_request_id(client::NewRequestId());
    v1::Order* o = request->mutable_order();
    o->set_order_id(id);
    o->set_customer_id("customer-9");
    o->set_currency_code("USD");
    o->mutable_delivered_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3 * 86400);
    const bool inclusive = Pick(2) == 0;
    o->set_tax_mode(inclusive ? v1::TAX_MODE_INCLUSIVE : v1::TAX_MODE_EXCLUSIVE);
    const bool shares = Pick(3) == 0;
    int64_t discount = 0, after_line_discounts = 0;
    for (int i = 0, n = 1 + static_cast<int>(Pick(4)); i < n; ++i) {
      v1::OrderLine* line = o->add_lines();
      line->set_line_id(absl::StrCat("L", i));
      line->set_sku(absl::StrCat("SKU-", i));
      line->set_quantity(1 + static_cast<int32_t>(Pick(4)));
      *line->mutable_unit_price() = Usd(Pick(8) == 0 ? 0 : 1 + Pick(9000));
      const int64_t gross = line->unit_price().amount_minor() * line->quantity();
      const int64_t line_discount = Pick(3) == 0 ? Pick(gross + 1) : 0;
      if (line_discount > 0) *line->mutable_line_discount() = Usd(line_discount);
      after_line_discounts += gross - line_discount;
      if (shares) {
        const int64_t share = Pick(2) ? Pick(gross - line_discount + 1) : 0;
        *line->mutable_order_discount_share() = Usd(share);
        discount += share;
      }
    }
    if (!shares && Pick(2) == 0) discount = Pick(after_line_discounts + 1);
    if (shares || discount > 0) *o->mutable_order_discount() = Usd(discount);
    if (Pick(3) != 0) *o->mutable_shipping() = Usd(Pick(1500));
    auto untaxed = ComputeOrderMoney(*o, "order");
    if (!untaxed.ok()) return untaxed.status();
    auto add_tax = [&](google::protobuf::RepeatedPtrField<v1::TaxLine>* lines, int64_t base) {
      for (int k = 0, n = base > 0 ? 1 + static_cast<int>(Pick(2)) : 0; k < n; ++k) {
        const int64_t ppm = Pick(2) ? 82500 : 190000;
        v1::TaxLine* tax = lines->Add();
        tax->set_title(k == 0 ? "State tax" : "City tax");
        tax->set_rate_ppm(ppm);
        *tax->mutable_amount() = Usd((base * ppm + 500000) / (inclusive ? 1000000 + ppm : 1000000));
      }
    };
    for (int i = 0; i < o->lines_size(); ++i) {
      add_tax(o->mutable_lines(i)->mutable_tax_lines(), untaxed->lines[i].net_minor);
    }
    if (Pick(2) == 0) add_tax(o->mutable_shipping_tax_lines(), untaxed->shipping_minor);
    auto money = ComputeOrderMoney(*o, "order");
    if (!money.ok()) return money.status();
    // 1-3 tenders of random kinds adding up to the total exactly.
    const int64_t payments = std::min<int64_t>(1 + Pick(3), money->total_minor);
    for (int64_t i = 0, left = money->total_minor; i < payments; ++i) {
      const int64_t amount = i + 1 == payments ? left : 1 + Pick(left - (payments - 1 - i));
      left -= amount;
      v1::Payment* payment = o->add_payments();
      payment->set_payment_id(absl::StrCat("pay-", i));
      payment->set_kind(static_cast<v1::TenderKind>(1 + Pick(4)));
      payment->set_reference(absl::StrCat("psp-", id, "-", i));
      *payment->mutable_amount() = Usd(amount);
    }
    if (Pick(2) == 0) *o->mutable_total() = Usd(money->total_minor);
    return money;
  }

  void NewOrder(const std::string& id) {
    v1::UpsertOrderRequest request;
    auto money = RandomOrder(id, &request);
    ASSERT_TRUE(money.ok()) << money.status() << "\n" << request.DebugString();
    auto call = Call(request.request_id());
    v1::Order synced;
    const absl::Status s = app::UpsertOrder(app_, call, request, &synced);
    ASSERT_TRUE(s.ok()) << s << "\n" << request.DebugString();
    ASSERT_EQ(synced.total().amount_minor(), money->total_minor);
    ModelOrder model{id, money->shipping_paid_minor, request.order().payments_size() > 0, {}, ""};
    for (int i = 0; i < request.order().lines_size(); ++i) {
      const LineMoney& line = money->lines[i];
      ASSERT_EQ(synced.lines(i).paid_total().amount_minor(), line.paid_minor) << i;
      const int32_t quantity = request.order().lines(i).quantity();
      model.lines.push_back({quantity, {quantity, line.paid_minor, line.tax_minor}});
    }
    orders_.push_back(model);
  }

  // Preview, then create, a return of some remaining units (rarely one unit too many).
  void NewReturn(size_t o) {
    ModelOrder& order = orders_[o];
    v1::CreateReturnRequest request;
    request.set_request_id(client::NewRequestId());
    request.set_order_id(order.id);
    std::vector<size_t> picked;
    for (size_t i = 0; i < order.lines.size(); ++i) {
      const int32_t left = order.lines[i].left.units;
      if (left == 0 || (Pick(3) == 0 && !(picked.empty() && i + 1 == order.lines.size()))) continue;
      v1::ReturnLine* line = request.add_lines();
      line->set_order_line_id(absl::StrCat("L", i));
      line->set_quantity(Pick(2) ? left : 1 + static_cast<int32_t>(Pick(left)));
      line->set_reason(static_cast<v1::ReturnReason>(1 + Pick(8)));
      line->set_resolution(Pick(3) ? v1::RESOLUTION_REFUND : v1::RESOLUTION_STORE_CREDIT);
      picked.push_back(i);
    }
    if (picked.empty()) return;
    const bool too_many = Pick(12) == 0;
    if (too_many) {
      request.mutable_lines(0)->set_quantity(order.lines[picked[0]].left.units + 1);
    }
    v1::PreviewReturnRequest preview;
    preview.set_order_id(order.id);
    *preview.mutable_lines() = request.lines();
    v1::SettlementPlan planned;
    const absl::Status previewed = app::PreviewReturn(app_, Call(), preview, &planned);
    auto call = Call(request.request_id());
    v1::Return ret;
    const absl::Status made = app::CreateReturn(app_, call, request, &ret);
    ASSERT_EQ(previewed.code(), made.code()) << previewed << " / " << made;
    ASSERT_EQ(made.ok(), !too_many) << made << "\n" << request.DebugString();
    if (!made.ok()) return;
    ++created_;
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(ret.plan(), planned)) << "preview != created plan: " << diff;
    // The reference plan (docs/money.md): shares of what is left, fees, shipping, totals.
    ModelReturn model{ret.return_id(), o, {}, planned, true};
    int64_t refunds = 0, credits = 0, fees = 0, shipping = 0;
    int64_t bonus_left = fees_.bonus_cap > 0 ? fees_.bonus_cap : INT64_MAX;
    bool any_refund = false;
    for (int i = 0; i < request.lines_size(); ++i) {
      const v1::ReturnLine& line = request.lines(i);
      const v1::SettlementPlan::Line& p = planned.lines(i);
      LineRemainder& left = order.lines[picked[i]].left;
      const UnitsShare share = ShareOfUnits(left, line.quantity());
      const bool refund = line.resolution() == v1::RESOLUTION_REFUND;
      const int64_t fee = std::min(
          share.paid_minor, refund ? fees_.fixed + share.paid_minor * fees_.bp / 10000
                            : fees_.waives_fees
                                ? 0
                                : fees_.credit_fixed + share.paid_minor * fees_.credit_bp / 10000);
      // The bonus: store credit only, on a line that paid something, within what the cap left.
      const int64_t bonus =
          refund || share.paid_minor <= 0
              ? 0
              : std::min(bonus_left, fees_.bonus_fixed * line.quantity() +
                                         share.paid_minor * fees_.bonus_bp / 10000);
      bonus_left -= bonus;
      EXPECT_EQ(p.paid().amount_minor(), share.paid_minor) << "line " << i;
      EXPECT_EQ(p.tax().amount_minor(), share.tax_minor) << "line " << i;
      EXPECT_EQ(p.restocking_fee().amount_minor(), fee) << "line " << i;
      EXPECT_EQ(p.bonus_credit().amount_minor(), bonus) << "line " << i;
      EXPECT_EQ((refund ? p.refund() : p.store_credit()).amount_minor(),
                share.paid_minor - fee + bonus);
      (refund ? refunds : credits) += share.paid_minor - fee + bonus;
      fees += fee;
      any_refund = any_refund || refund;
      if (order.shipping_return.empty() && RefundsShipping(line.reason())) {
        shipping = order.shipping_paid;
      }
      left = {left.units - line.quantity(), left.paid_minor - share.paid_minor,
              left.tax_minor - share.tax_minor};
      model.taken.push_back({picked[i], line.quantity(), share});
    }
    if (any_refund) {
      const int64_t kept = std::min(refunds + shipping, fees_.return_shipping);
      refunds += shipping - kept;
      fees += kept;
    } else {
      credits += shipping;
    }
    EXPECT_EQ(planned.shipping_refund().amount_minor(), shipping);
    EXPECT_EQ(planned.refund_total().amount_minor(), refunds);
    EXPECT_EQ(planned.store_credit_total().amount_minor(), credits);
    EXPECT_EQ(planned.fees_total().amount_minor(), fees);
    int64_t split = 0;
    for (const auto& share : planned.refund_tenders()) split += share.amount().amount_minor();
    EXPECT_EQ(split, order.has_payments ? refunds : 0) << "the quoted tender split";
    if (shipping > 0) order.shipping_return = model.id;
    const int rank = static_cast<int>(rank_.size());
    rank_[model.id] = rank;
    returns_.push_back(model);
  }

  // Cancel, reject or receive (every line OK): refused exactly when the state machine says so.
  void MoveReturn(ModelReturn& r, v1::ReturnState to) {
    v1::ReturnState from = v1::RETURN_STATE_UNSPECIFIED;
    const pqxx::result state = Read("SELECT state FROM returns WHERE return_id = '" + r.id + "'");
    ASSERT_EQ(state.size(), 1) << r.id;
    v1::ReturnState_Parse(std::string("RETURN_STATE_") + state[0][0].c_str(), &from);
    const std::string request_id = client::NewRequestId();
    auto call = Call(request_id);
    v1::Return out;
    absl::Status s;
    auto fill = [&](auto request) {
      request.set_request_id(request_id);
      request.set_return_id(r.id);
      return request;
    };
    if (to == v1::RETURN_STATE_CANCELLED) {
      s = app::CancelReturn(app_, call, fill(v1::CancelReturnRequest()), &out);
    } else if (to == v1::RETURN_STATE_REJECTED) {
      auto request = fill(v1::RejectReturnRequest());
      request.set_reason("outside the rules");
      s = app::RejectReturn(app_, call, request, &out);
    } else {
      auto request = fill(v1::ReceiveReturnRequest());
      for (const auto& taken : r.taken) {
        v1::ReceivedItem* item = request.add_items();
        item->set_order_line_id(absl::StrCat("L", taken.line));
        item->set_condition(v1::ITEM_CONDITION_OK);
      }
      s = app::ReceiveReturn(app_, call, request, &out);
    }
    const bool allowed = IsReturnTransitionAllowed(
        from, to == v1::RETURN_STATE_RESOLVED ? v1::RETURN_STATE_RECEIVED : to);
    ASSERT_EQ(s.ok(), allowed) << v1::ReturnState_Name(from) << " -> " << v1::ReturnState_Name(to)
                               << ": " << s;
    if (!s.ok()) {
      ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
      return;
    }
    ASSERT_EQ(out.state(), to);
    r.open = false;
    if (to == v1::RETURN_STATE_RESOLVED) {  // pays exactly its plan
      ++resolved_;
      EXPECT_EQ(out.refund_total().amount_minor(), r.plan.refund_total().amount_minor());
      EXPECT_EQ(out.store_credit_total().amount_minor(),
                r.plan.store_credit_total().amount_minor());
      EXPECT_EQ(out.fees_total().amount_minor(), r.plan.fees_total().amount_minor());
      return;
    }
    ModelOrder& order = orders_[r.order];  // units, paid, tax and shipping go back to the order
    for (const auto& taken : r.taken) {
      LineRemainder& left = order.lines[taken.line].left;
      left = {left.units + taken.units, left.paid_minor + taken.share.paid_minor,
              left.tax_minor + taken.share.tax_minor};
    }
    if (order.shipping_return == r.id) order.shipping_return.clear();
  }

  std::vector<v1::MoneyMovement> Movements(v1::MoneyMovementState state) {
    std::vector<v1::MoneyMovement> all;
    v1::ListMoneyMovementsRequest request;
    request.set_state(state);
    request.set_page_size(100);
    do {
      auto call = Call();
      v1::ListMoneyMovementsResponse page;
      const absl::Status s = app::ListMoneyMovements(app_, call, request, &page);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      all.insert(all.end(), page.movements().begin(), page.movements().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  // Report (5), retry (6) or cancel (7) a movement, mostly one in a state that allows it.
  void MoveMovement(int action) {
    const auto wanted = action == 6 || (action == 7 && Pick(2))
                            ? v1::MONEY_MOVEMENT_STATE_FAILED
                            : v1::MONEY_MOVEMENT_STATE_REQUESTED;
    auto found = Movements(Pick(5) == 0 ? v1::MONEY_MOVEMENT_STATE_UNSPECIFIED : wanted);
    if (found.empty()) return;
    // In the order the returns were created (ids are random; the seed must replay the run).
    auto key = [&](const v1::MoneyMovement& m) {
      return std::make_pair(rank_.at(m.subject().substr(sizeof("returns/") - 1)), m.kind());
    };
    std::sort(found.begin(), found.end(),
              [&](const auto& a, const auto& b) { return key(a) < key(b); });
    const v1::MoneyMovement m = found[Pick(static_cast<int64_t>(found.size()))];
    const std::string request_id = client::NewRequestId();
    auto call = Call(request_id);
    v1::MoneyMovement out;
    absl::Status s;
    v1::MoneyMovementState expected = v1::MONEY_MOVEMENT_STATE_CANCELLED;
    bool allowed = false;
    auto fill = [&](auto request) {
      request.set_request_id(request_id);
      request.set_movement_id(m.movement_id());
      return request;
    };
    if (action == 5) {
      auto request = fill(v1::ReportMoneyMovementOutcomeRequest());
      expected = Pick(3) ? v1::MONEY_MOVEMENT_STATE_SUCCEEDED : v1::MONEY_MOVEMENT_STATE_FAILED;
      request.set_outcome(expected);
      request.set_external_reference(absl::StrCat("psp-", request_id));
      request.set_failure_reason(expected == v1::MONEY_MOVEMENT_STATE_FAILED ? "declined" : "");
      allowed = m.state() == v1::MONEY_MOVEMENT_STATE_REQUESTED || m.state() == expected;
      s = app::ReportMoneyMovementOutcome(app_, call, request, &out);
    } else if (action == 6) {
      expected = v1::MONEY_MOVEMENT_STATE_REQUESTED;
      allowed = m.state() == v1::MONEY_MOVEMENT_STATE_FAILED;
      s = app::RetryMoneyMovement(app_, call, fill(v1::RetryMoneyMovementRequest()), &out);
    } else {
      auto request = fill(v1::CancelMoneyMovementRequest());
      request.set_reason("paid by other means");
      allowed = m.state() == v1::MONEY_MOVEMENT_STATE_REQUESTED ||
                m.state() == v1::MONEY_MOVEMENT_STATE_FAILED;
      s = app::CancelMoneyMovement(app_, call, request, &out);
    }
    ASSERT_EQ(s.ok(), allowed) << "action " << action << " on a "
                               << v1::MoneyMovementState_Name(m.state()) << " movement: " << s;
    if (!s.ok()) {
      ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
      return;
    }
    ++moved_;
    EXPECT_EQ(out.state(), expected);
    EXPECT_EQ(out.amount().amount_minor(), m.amount().amount_minor());
    EXPECT_EQ(out.attempt(), m.attempt() + (action == 6 ? 1 : 0));
    EXPECT_EQ(out.idempotency_key(), absl::StrCat(m.movement_id(), ":", out.attempt()));
  }

  // The model's lines and shipping against the database.
  void CheckModel(const std::string& prefix) {
    std::map<std::string, size_t> index;
    size_t lines = 0;
    for (size_t o = 0; o < orders_.size(); ++o) {
      index[orders_[o].id] = o;
      lines += orders_[o].lines.size();
    }
    const pqxx::result rows = Read(
        "SELECT l.order_id, l.line_id, l.returned_quantity, l.taken_paid_minor, l.taken_tax_minor, "
        "l.paid_minor, l.tax_minor, coalesce(s.return_id::text, '') AS shipping FROM order_lines l "
        "LEFT JOIN order_shipping_refunds s USING (merchant_id, order_id) WHERE l.order_id LIKE '" +
        prefix + "%'");
    ASSERT_EQ(static_cast<size_t>(rows.size()), lines);
    for (const auto& row : rows) {
      const ModelOrder& order = orders_.at(index.at(row["order_id"].as<std::string>()));
      const std::string line_id = row["line_id"].as<std::string>();
      const ModelLine& line = order.lines.at(std::stoul(line_id.substr(1)));
      const std::string at = order.id + "/" + line_id;
      const int64_t paid = row["paid_minor"].as<int64_t>(), tax = row["tax_minor"].as<int64_t>();
      EXPECT_EQ(row["returned_quantity"].as<int32_t>(), line.quantity - line.left.units) << at;
      EXPECT_EQ(row["taken_paid_minor"].as<int64_t>(), paid - line.left.paid_minor) << at;
      EXPECT_EQ(row["taken_tax_minor"].as<int64_t>(), tax - line.left.tax_minor) << at;
      EXPECT_EQ(row["shipping"].as<std::string>(), order.shipping_return) << at;
    }
  }

  // The invariants over the whole database: each query lists what breaks one.
  std::vector<std::string> Violations() {
    static const char* const kChecks[] = {
        // A line's take: what its live returns hold, never more than it paid.
        R"sql(SELECT 'line ' || l.order_id || '/' || l.line_id || ' took ' || l.taken_paid_minor
          || ' (tax ' || l.taken_tax_minor || ') of ' || l.paid_minor || ', returns hold '
          || coalesce(h.paid, 0)
        FROM order_lines l LEFT JOIN (SELECT rl.order_id, rl.order_line_id, sum(rl.paid_minor) AS
          paid, sum(rl.tax_minor) AS tax FROM return_lines rl JOIN returns r USING (return_id)
          WHERE r.state NOT IN ('CANCELLED', 'REJECTED') GROUP BY 1, 2) h
          ON h.order_id = l.order_id AND h.order_line_id = l.line_id
        WHERE l.taken_paid_minor > l.paid_minor OR l.taken_tax_minor > l.tax_minor
          OR l.taken_paid_minor <> coalesce(h.paid, 0) OR l.taken_tax_minor <> coalesce(h.tax, 0)
        )sql",
        // Per order: refunds and credits asked for (not cancelled), less the bonus credit given,
        // never above what was paid.
        R"sql(SELECT 'order ' || o.order_id || ' gives back ' || m.out || ' of ' || p.paid
          || ' (bonus ' || b.bonus || ')'
        FROM (SELECT order_id, sum(amount_minor) AS out FROM money_movements WHERE kind IN
          ('REFUND', 'STORE_CREDIT') AND state <> 'CANCELLED' GROUP BY 1) m JOIN orders o USING
          (order_id), LATERAL (SELECT o.shipping_paid_minor + sum(paid_minor) AS paid FROM
          order_lines l WHERE l.order_id = o.order_id) p, LATERAL (SELECT
          coalesce(sum(bonus_credit_minor), 0) AS bonus FROM returns r WHERE r.order_id =
          o.order_id AND r.state = 'RESOLVED') b WHERE m.out - b.bonus > p.paid)sql",
        // Per tender: refunded within the amount, and the sum of its shares of live refunds.
        R"sql(SELECT 'tender ' || p.order_id || '/' || p.payment_id || ' refunded '
          || p.refunded_minor || ' of ' || p.amount_minor || ', shares ' || coalesce(s.sum, 0)
        FROM order_payments p LEFT JOIN (SELECT m.order_id, t->>'paymentId' AS payment_id,
          sum((t->'amount'->>'amountMinor')::bigint) AS sum FROM money_movements m,
          jsonb_array_elements(m.tenders) t WHERE m.kind IN ('REFUND', 'CLAIM_REFUND')
          AND m.state <> 'CANCELLED' GROUP BY 1, 2) s USING (order_id, payment_id)
        WHERE p.refunded_minor > p.amount_minor OR p.refunded_minor <> coalesce(s.sum, 0))sql",
        // A refund of an order with tenders is split over them in full.
        R"sql(SELECT 'refund ' || m.movement_id || ' of ' || m.amount_minor || ' split ' || x.split
        FROM money_movements m, LATERAL (SELECT coalesce(sum((t->'amount'->>'amountMinor')::bigint),
          0) AS split FROM jsonb_array_elements(m.tenders) t) x WHERE m.kind = 'REFUND' AND
          x.split <> m.amount_minor AND m.order_id IN (SELECT order_id FROM order_payments))sql",
        R"sql(SELECT 'subject ' || subject || ' has ' || count(*) || ' ' || kind
        FROM money_movements GROUP BY subject, kind HAVING count(*) > 1)sql",
        // A resolved return's movements are its totals; an unresolved one has none.
        R"sql(SELECT 'return ' || r.return_id || ' ' || r.state || ': refund ' || r.refund_minor
          || ' moved ' || coalesce(f.amount_minor, 0) || ', credit ' || r.store_credit_minor
          || ' moved ' || coalesce(c.amount_minor, 0) FROM returns r
        LEFT JOIN money_movements f ON f.subject = 'returns/' || r.return_id AND f.kind = 'REFUND'
        LEFT JOIN money_movements c ON c.subject = 'returns/' || r.return_id
          AND c.kind = 'STORE_CREDIT'
        WHERE CASE WHEN r.state = 'RESOLVED' THEN coalesce(f.amount_minor, 0) <> r.refund_minor
          OR coalesce(c.amount_minor, 0) <> r.store_credit_minor
          ELSE f.movement_id IS NOT NULL OR c.movement_id IS NOT NULL END)sql",
        // The shipping refund: at most one live return holds it, the one the order names.
        R"sql(SELECT 'order ' || o.order_id || ' names ' || coalesce(s.return_id::text, 'none')
          || ' for its shipping refund; held by ' || coalesce(x.ids, 'none')
        FROM orders o LEFT JOIN order_shipping_refunds s USING (merchant_id, order_id)
        LEFT JOIN (SELECT order_id, count(*) AS n, string_agg(return_id::text, ',') AS ids,
          max(shipping_refund_minor) AS amount FROM returns WHERE state NOT IN
          ('CANCELLED', 'REJECTED') AND shipping_refund_minor > 0 GROUP BY 1) x USING (order_id)
        WHERE x.n > 1 OR (x.n IS NULL) <> (s.return_id IS NULL) OR x.ids <> s.return_id::text
          OR x.amount <> o.shipping_paid_minor)sql",
        // Every unit back in resolved returns: refunds + credits (less their bonus) + fees +
        // shipping kept = paid.
        R"sql(SELECT 'order ' || o.order_id || ' fully returned: back ' || coalesce(b.given, 0)
          || ', shipping kept ' || k.kept || ', paid ' || k.paid
        FROM orders o JOIN (SELECT order_id, sum(paid_minor) AS paid FROM order_lines GROUP BY 1
          HAVING bool_and(returned_quantity = quantity)) l USING (order_id)
        LEFT JOIN (SELECT order_id,
          sum(refund_minor + store_credit_minor - bonus_credit_minor + fees_minor) AS given
          FROM returns WHERE state = 'RESOLVED' GROUP BY 1) b USING (order_id)
        LEFT JOIN order_shipping_refunds s USING (merchant_id, order_id),
        LATERAL (SELECT l.paid + o.shipping_paid_minor AS paid,
          CASE WHEN s.return_id IS NULL THEN o.shipping_paid_minor ELSE 0 END AS kept) k
        WHERE coalesce(b.given, 0) + k.kept <> k.paid AND NOT EXISTS (SELECT 1 FROM returns r
          WHERE r.order_id = o.order_id AND r.state NOT IN ('RESOLVED', 'CANCELLED', 'REJECTED'))
        )sql",
    };
    std::vector<std::string> broken;
    for (const char* check : kChecks) {
      for (const auto& row : Read(check)) broken.push_back(row[0].c_str());
    }
    // SUCCEEDED and CANCELLED movements never change.
    for (const auto& row : Read("SELECT movement_id::text AS id, concat_ws('|', state, "
                                "amount_minor, tenders::text, external_reference, failure_reason, "
                                "attempt) AS seen, state FROM money_movements")) {
      const std::string id = row["id"].as<std::string>(), seen = row["seen"].as<std::string>();
      auto it = settled_.find(id);
      if (it != settled_.end() && it->second != seen) {
        broken.push_back("settled movement " + id + " changed from " + it->second + " to " + seen);
      } else if (it == settled_.end() && (row["state"].as<std::string>() == "SUCCEEDED" ||
                                          row["state"].as<std::string>() == "CANCELLED")) {
        settled_[id] = seen;
      }
    }
    return broken;
  }

  void Run(uint32_t seed, int steps) {
    rng_.seed(seed);
    orders_.clear();
    returns_.clear();
    SetFees();
    const std::string prefix = absl::StrCat("s", seed, "-");
    static const int kWeighted[] = {0, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8};
    for (int step = 0; step < steps; ++step) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, " step ", step));
      const int action = kWeighted[Pick(static_cast<int64_t>(std::size(kWeighted)))];
      std::vector<size_t> open_orders, open_returns;
      for (size_t o = 0; o < orders_.size(); ++o) {
        const auto& lines = orders_[o].lines;
        auto units_left = [](const ModelLine& line) { return line.left.units > 0; };
        if (std::any_of(lines.begin(), lines.end(), units_left)) open_orders.push_back(o);
      }
      for (size_t r = 0; r < returns_.size(); ++r) {
        if (returns_[r].open) open_returns.push_back(r);
      }
      if (open_orders.empty() || (action == 0 && open_orders.size() < 4)) {
        NewOrder(absl::StrCat(prefix, orders_.size()));
      } else if (action <= 1) {
        NewReturn(open_orders[Pick(static_cast<int64_t>(open_orders.size()))]);
      } else if ((action == 2 || action == 3) && !returns_.empty()) {
        // Mostly recent returns, open or not (a closed one must be refused).
        const int64_t window = std::min<int64_t>(6, static_cast<int64_t>(returns_.size()));
        MoveReturn(returns_[returns_.size() - 1 - Pick(window)],
                   action == 2 ? v1::RETURN_STATE_CANCELLED : v1::RETURN_STATE_REJECTED);
      } else if (action == 4 && !open_returns.empty()) {
        MoveReturn(returns_[open_returns[Pick(static_cast<int64_t>(open_returns.size()))]],
                   v1::RETURN_STATE_RESOLVED);
      } else if (action >= 5 && action <= 7) {
        MoveMovement(action);
      } else if (action == 8) {
        SetFees();
      }
      if (HasFatalFailure()) return;
      CheckModel(prefix);
      const std::vector<std::string> broken = Violations();
      ASSERT_TRUE(broken.empty()) << broken.size() << " broken, first: " << broken.front();
      if (HasFailure()) return;  // the first step that breaks something is the one to look at
    }
    std::cout << "seed " << seed << ": " << orders_.size() << " orders; so far " << created_
              << " returns, " << resolved_ << " resolved, " << moved_ << " movement changes"
              << std::endl;
  }

  pqxx::connection conn_{db_.url()};
  std::mt19937_64 rng_;
  Fees fees_;
  std::vector<ModelOrder> orders_;
  std::vector<ModelReturn> returns_;
  std::map<std::string, std::string> settled_;  // movement id -> what it was when settled
  std::map<std::string, int> rank_;             // return id -> order of creation, all seeds
  int created_ = 0, resolved_ = 0, moved_ = 0;
};

TEST_F(PaidMoneyModelTest, SeededInterleavingsNeverGiveBackMoreThanWasPaid) {
  const int steps = EnvInt("RETURNS_MODEL_STEPS", 300);
  if (const char* seed = std::getenv("RETURNS_MODEL_SEED")) {
    Run(static_cast<uint32_t>(std::strtoul(seed, nullptr, 10)), steps);
    return;
  }
  for (uint32_t seed : {1u, 2u, 3u}) {  // one database: each seed's orders have their own ids
    Run(seed, steps);
    if (HasFailure()) return;
  }
  if (steps >= 200) {  // the runs reached the interesting states
    EXPECT_GT(resolved_, 10);
    EXPECT_EQ(Scalar("SELECT string_agg(DISTINCT type, ' ' ORDER BY type) FROM outbox_events "
                     "WHERE type LIKE 'money_movement.%'"),
              "money_movement.cancelled money_movement.failed money_movement.requested "
              "money_movement.retried money_movement.succeeded");
    EXPECT_NE(Scalar("SELECT count(*) FROM returns WHERE shipping_refund_minor > 0"), "0");
    EXPECT_NE(Scalar("SELECT count(*) FROM (SELECT 1 FROM order_lines GROUP BY order_id "
                     "HAVING bool_and(returned_quantity = quantity)) x"),
              "0")
        << "no order came back whole: the identity was never checked";
  }
}

}  // namespace
}  // namespace returns::testing
