// Money as paid (docs/money.md, server/domain/paid_money.h): what each line and the shipping of a
// US (tax on top) and an EU (VAT included) order paid, the order discount allocated by largest
// remainder, every kind of bad input refused naming its field, and generated checks that the
// allocator, the share of returned units and the split over tenders never lose or invent a cent.
#include "domain/paid_money.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/errors.h"

namespace returns {
namespace {

void SetMoney(v1::Money* money, const std::string& currency, int64_t minor) {
  money->set_currency_code(currency);
  money->set_amount_minor(minor);
}

v1::OrderLine* AddLine(v1::Order* order, int64_t unit_price, int32_t quantity) {
  v1::OrderLine* line = order->add_lines();
  line->set_line_id(absl::StrCat("L", order->lines_size()));
  line->set_sku(absl::StrCat("SKU-", order->lines_size()));
  line->set_quantity(quantity);
  SetMoney(line->mutable_unit_price(), order->currency_code(), unit_price);
  return line;
}

void AddTax(google::protobuf::RepeatedPtrField<v1::TaxLine>* tax_lines, const std::string& currency,
            int64_t rate_ppm, int64_t amount) {
  v1::TaxLine* tax = tax_lines->Add();
  tax->set_title(absl::StrCat("tax ", rate_ppm, " ppm"));
  tax->set_rate_ppm(rate_ppm);
  SetMoney(tax->mutable_amount(), currency, amount);
}

void AddPayment(v1::Order* order, const std::string& id, v1::TenderKind kind, int64_t amount,
                const std::string& reference) {
  v1::Payment* payment = order->add_payments();
  payment->set_payment_id(id);
  payment->set_kind(kind);
  payment->set_reference(reference);
  SetMoney(payment->mutable_amount(), order->currency_code(), amount);
}

// gross, line discount, order-discount share, net, tax, paid: one line's money in one value.
std::vector<int64_t> Fields(const LineMoney& line) {
  return {line.gross_minor, line.line_discount_minor, line.order_discount_share_minor,
          line.net_minor,   line.tax_minor,           line.paid_minor};
}

// A US order: tax on top of the price (exclusive), a 20 % order-level discount the service
// allocates, taxed shipping, paid by gift card and card.
v1::Order UsOrder() {
  v1::Order order;
  order.set_order_id("us-1");
  order.set_currency_code("USD");
  order.set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  // Line 0: 2 x 19.99 = 39.98; state and local tax on what is left after its share (31.99).
  v1::OrderLine* line = AddLine(&order, 1999, 2);
  AddTax(line->mutable_tax_lines(), "USD", 62500, 200);
  AddTax(line->mutable_tax_lines(), "USD", 26250, 84);
  // Line 1: 1 x 45.00 with 5.00 off the line itself; tax on 32.00.
  line = AddLine(&order, 4500, 1);
  SetMoney(line->mutable_line_discount(), "USD", 500);
  AddTax(line->mutable_tax_lines(), "USD", 88750, 284);
  // Line 2: 3 x 3.33 = 9.99; tax on 7.99.
  line = AddLine(&order, 333, 3);
  AddTax(line->mutable_tax_lines(), "USD", 88750, 71);
  // 20 % of the lines after their own discounts (89.97), rounded down.
  SetMoney(order.mutable_order_discount(), "USD", 1799);
  SetMoney(order.mutable_shipping(), "USD", 999);
  AddTax(order.mutable_shipping_tax_lines(), "USD", 88750, 89);
  AddPayment(&order, "pay-gc", v1::TENDER_KIND_GIFT_CARD, 2000, "GC-0001");
  AddPayment(&order, "pay-card", v1::TENDER_KIND_CARD, 6925, "pi_3Nx");
  SetMoney(order.mutable_total(), "USD", 8925);
  return order;
}

// An EU order: VAT included in the prices and the shipping, paid partly by gift card.
v1::Order EuOrder() {
  v1::Order order;
  order.set_order_id("eu-1");
  order.set_currency_code("EUR");
  order.set_tax_mode(v1::TAX_MODE_INCLUSIVE);
  v1::OrderLine* line = AddLine(&order, 2499, 2);  // 49.98 with 20 % VAT in it: 8.33
  AddTax(line->mutable_tax_lines(), "EUR", 200000, 833);
  line = AddLine(&order, 1000, 1);  // 10.00 less 1.00 off the line: 9.00, VAT 1.50 in it
  SetMoney(line->mutable_line_discount(), "EUR", 100);
  AddTax(line->mutable_tax_lines(), "EUR", 200000, 150);
  line = AddLine(&order, 1500, 1);  // a book: 7 % VAT, 0.98 in 15.00
  AddTax(line->mutable_tax_lines(), "EUR", 70000, 98);
  SetMoney(order.mutable_shipping(), "EUR", 495);  // 0.83 VAT in it
  AddTax(order.mutable_shipping_tax_lines(), "EUR", 200000, 83);
  AddPayment(&order, "pay-gc", v1::TENDER_KIND_GIFT_CARD, 2500, "GC-EU-7");
  AddPayment(&order, "pay-card", v1::TENDER_KIND_CARD, 5393, "psp-991");
  SetMoney(order.mutable_total(), "EUR", 7893);
  return order;
}

// INVALID_ARGUMENT whose message starts with the field and whose field payload is exactly it.
void ExpectInvalidField(const absl::StatusOr<OrderMoney>& money, const std::string& field) {
  SCOPED_TRACE(absl::StrCat("expected the field ", field));
  ASSERT_FALSE(money.ok()) << "the order was accepted";
  const absl::Status& status = money.status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), field)) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), field + ": ")) << status;
  EXPECT_EQ(FieldOf(status).value_or("<no field>"), field) << status;
  EXPECT_EQ(MetadataOf(status)["field"], field) << status;
  EXPECT_EQ(ReasonOf(status), "INVALID_FIELD") << status;
}

// ---------------------------------------------------------------------------------------------
// ComputeOrderMoney: what was paid.

TEST(ComputeOrderMoneyTest, UsOrderAddsTaxOnTopAndAllocatesTheOrderDiscount) {
  auto money = ComputeOrderMoney(UsOrder(), "order");
  ASSERT_TRUE(money.ok()) << money.status();
  ASSERT_EQ(money->lines.size(), 3u);
  // The order discount of 1799 over the values 3998, 4000, 999 (W = 8997): floors 799, 799, 199
  // (1797), remainders 3799, 7397, 6798; the two cents left go to lines 1 and 2, not line 0.
  EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{3998, 0, 799, 3199, 284, 3483}));
  EXPECT_EQ(Fields(money->lines[1]), (std::vector<int64_t>{4500, 500, 800, 3200, 284, 3484}));
  EXPECT_EQ(Fields(money->lines[2]), (std::vector<int64_t>{999, 0, 200, 799, 71, 870}));
  EXPECT_EQ(money->lines[0].order_discount_share_minor +
                money->lines[1].order_discount_share_minor +
                money->lines[2].order_discount_share_minor,
            1799);
  EXPECT_EQ(money->shipping_minor, 999);
  EXPECT_EQ(money->shipping_tax_minor, 89);
  EXPECT_EQ(money->shipping_paid_minor, 1088);
  EXPECT_EQ(money->total_minor, 8925);  // 3483 + 3484 + 870 + 1088, what the tenders paid
}

TEST(ComputeOrderMoneyTest, EuOrderKeepsVatInsideThePrice) {
  auto money = ComputeOrderMoney(EuOrder(), "order");
  ASSERT_TRUE(money.ok()) << money.status();
  ASSERT_EQ(money->lines.size(), 3u);
  EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{4998, 0, 0, 4998, 833, 4998}));
  EXPECT_EQ(Fields(money->lines[1]), (std::vector<int64_t>{1000, 100, 0, 900, 150, 900}));
  EXPECT_EQ(Fields(money->lines[2]), (std::vector<int64_t>{1500, 0, 0, 1500, 98, 1500}));
  EXPECT_EQ(money->shipping_minor, 495);
  EXPECT_EQ(money->shipping_tax_minor, 83);
  EXPECT_EQ(money->shipping_paid_minor, 495);  // the VAT is in the 4.95, not on top
  EXPECT_EQ(money->total_minor, 7893);         // 2500 by gift card + 5393 by card
}

TEST(ComputeOrderMoneyTest, EuOrderWithAnAllocatedOrderDiscount) {
  v1::Order order;
  order.set_currency_code("EUR");
  order.set_tax_mode(v1::TAX_MODE_INCLUSIVE);
  AddTax(AddLine(&order, 3000, 1)->mutable_tax_lines(), "EUR", 200000, 450);  // 27.00 after
  AddTax(AddLine(&order, 1000, 1)->mutable_tax_lines(), "EUR", 200000, 150);  // 9.00 after
  SetMoney(order.mutable_order_discount(), "EUR", 400);                       // 300 and 100 exactly
  AddPayment(&order, "gc", v1::TENDER_KIND_GIFT_CARD, 1000, "GC");
  AddPayment(&order, "card", v1::TENDER_KIND_CARD, 2600, "pi");
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{3000, 0, 300, 2700, 450, 2700}));
  EXPECT_EQ(Fields(money->lines[1]), (std::vector<int64_t>{1000, 0, 100, 900, 150, 900}));
  EXPECT_EQ(money->total_minor, 3600);
}

TEST(ComputeOrderMoneyTest, TiedRemaindersGiveTheCentToTheEarlierLine) {
  v1::Order order;
  order.set_currency_code("EUR");
  AddLine(&order, 1000, 1);
  AddLine(&order, 1000, 1);
  AddLine(&order, 1000, 1);
  SetMoney(order.mutable_order_discount(), "EUR", 200);  // 66 each, two cents left, all tied
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(money->lines[0].order_discount_share_minor, 67);
  EXPECT_EQ(money->lines[1].order_discount_share_minor, 67);
  EXPECT_EQ(money->lines[2].order_discount_share_minor, 66);
  EXPECT_EQ(money->lines[2].paid_minor, 934);
  EXPECT_EQ(money->total_minor, 2800);
}

TEST(ComputeOrderMoneyTest, ALineDiscountedToNothingTakesNoShareOfTheOrderDiscount) {
  v1::Order order;
  order.set_currency_code("EUR");
  SetMoney(AddLine(&order, 500, 1)->mutable_line_discount(), "EUR", 500);  // a free gift
  AddLine(&order, 700, 1);
  AddLine(&order, 300, 1);
  SetMoney(order.mutable_order_discount(), "EUR", 101);
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{500, 500, 0, 0, 0, 0}));
  // 101 x 700 / 1000 = 70.7, 101 x 300 / 1000 = 30.3: the cent left goes to line 1.
  EXPECT_EQ(money->lines[1].order_discount_share_minor, 71);
  EXPECT_EQ(money->lines[2].order_discount_share_minor, 30);
  EXPECT_EQ(money->total_minor, 899);
}

TEST(ComputeOrderMoneyTest, GivenSharesAreUsedAsGiven) {
  v1::Order order = UsOrder();
  // Not what the service would allocate (799, 800, 200): the storefront's own split.
  SetMoney(order.mutable_lines(0)->mutable_order_discount_share(), "USD", 1000);
  SetMoney(order.mutable_lines(1)->mutable_order_discount_share(), "USD", 700);
  SetMoney(order.mutable_lines(2)->mutable_order_discount_share(), "USD", 99);
  order.clear_payments();
  order.clear_total();
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{3998, 0, 1000, 2998, 284, 3282}));
  EXPECT_EQ(Fields(money->lines[1]), (std::vector<int64_t>{4500, 500, 700, 3300, 284, 3584}));
  EXPECT_EQ(Fields(money->lines[2]), (std::vector<int64_t>{999, 0, 99, 900, 71, 971}));
  EXPECT_EQ(money->total_minor, 3282 + 3584 + 971 + 1088);
}

TEST(ComputeOrderMoneyTest, GivenSharesOfZeroWithoutAnOrderDiscountAreAccepted) {
  v1::Order order;
  order.set_currency_code("EUR");
  SetMoney(AddLine(&order, 500, 2)->mutable_order_discount_share(), "EUR", 0);
  SetMoney(AddLine(&order, 300, 1)->mutable_order_discount_share(), "EUR", 0);
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(money->total_minor, 1300);
}

TEST(ComputeOrderMoneyTest, WithoutDiscountsTaxOrPaymentsEachLinePaidPriceTimesQuantity) {
  for (v1::TaxMode mode :
       {v1::TAX_MODE_UNSPECIFIED, v1::TAX_MODE_EXCLUSIVE, v1::TAX_MODE_INCLUSIVE}) {
    SCOPED_TRACE(v1::TaxMode_Name(mode));
    v1::Order order;
    order.set_currency_code("GBP");
    order.set_tax_mode(mode);
    AddLine(&order, 1250, 3);
    AddLine(&order, 99, 1);
    AddLine(&order, 0, 2);  // free
    auto money = ComputeOrderMoney(order, "order");
    ASSERT_TRUE(money.ok()) << money.status();
    ASSERT_EQ(money->lines.size(), 3u);
    EXPECT_EQ(Fields(money->lines[0]), (std::vector<int64_t>{3750, 0, 0, 3750, 0, 3750}));
    EXPECT_EQ(Fields(money->lines[1]), (std::vector<int64_t>{99, 0, 0, 99, 0, 99}));
    EXPECT_EQ(Fields(money->lines[2]), (std::vector<int64_t>{0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(money->shipping_paid_minor, 0);
    EXPECT_EQ(money->total_minor, 3849);
  }
}

TEST(ComputeOrderMoneyTest, AnOrderWithoutLinesPaidItsShipping) {
  v1::Order order;
  order.set_currency_code("EUR");
  SetMoney(order.mutable_shipping(), "EUR", 450);
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_TRUE(money->lines.empty());
  EXPECT_EQ(money->total_minor, 450);
}

TEST(ComputeOrderMoneyTest, ZeroTaxOnALineThatPaidNothingIsAccepted) {
  v1::Order order;
  order.set_currency_code("USD");
  order.set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  AddLine(&order, 1000, 1);
  v1::OrderLine* free = AddLine(&order, 500, 1);
  SetMoney(free->mutable_line_discount(), "USD", 500);
  AddTax(free->mutable_tax_lines(), "USD", 88750, 0);
  auto money = ComputeOrderMoney(order, "order");
  ASSERT_TRUE(money.ok()) << money.status();
  EXPECT_EQ(money->total_minor, 1000);
}

// ---------------------------------------------------------------------------------------------
// ComputeOrderMoney: bad input, refused naming the field.

TEST(ComputeOrderMoneyTest, TheExamplesAreValidSoEachRefusalBelowIsItsOwnChange) {
  EXPECT_TRUE(ComputeOrderMoney(UsOrder(), "order").ok());
  EXPECT_TRUE(ComputeOrderMoney(EuOrder(), "order").ok());
}

TEST(ComputeOrderMoneyTest, RefusesADiscountLargerThanTheLine) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_lines(0)->mutable_line_discount(), "USD", 3999);  // the line is 3998
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[0].line_discount");
}

TEST(ComputeOrderMoneyTest, NamesTheFieldUnderTheGivenPrefix) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_lines(0)->mutable_line_discount(), "USD", 3999);
  ExpectInvalidField(ComputeOrderMoney(order, "request.order"),
                     "request.order.lines[0].line_discount");
}

TEST(ComputeOrderMoneyTest, RefusesTaxOnALineThatPaidNothing) {
  v1::Order order;
  order.set_currency_code("USD");
  order.set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  AddLine(&order, 1000, 1);
  v1::OrderLine* free = AddLine(&order, 500, 1);
  SetMoney(free->mutable_line_discount(), "USD", 500);
  AddTax(free->mutable_tax_lines(), "USD", 88750, 44);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[1].tax_lines[0].amount");
}

TEST(ComputeOrderMoneyTest, RefusesTaxOnALineTheOrderDiscountTookEntirely) {
  v1::Order order;
  order.set_currency_code("USD");
  order.set_tax_mode(v1::TAX_MODE_EXCLUSIVE);
  v1::OrderLine* line = AddLine(&order, 1000, 1);
  SetMoney(line->mutable_order_discount_share(), "USD", 0);
  line = AddLine(&order, 600, 1);
  SetMoney(line->mutable_order_discount_share(), "USD", 600);
  AddTax(line->mutable_tax_lines(), "USD", 0, 0);
  AddTax(line->mutable_tax_lines(), "USD", 88750, 53);
  SetMoney(order.mutable_order_discount(), "USD", 600);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[1].tax_lines[1].amount");
}

TEST(ComputeOrderMoneyTest, RefusesTaxOnShippingThatCostNothing) {
  v1::Order order = UsOrder();
  order.clear_shipping();
  order.clear_payments();
  order.clear_total();
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.shipping_tax_lines[0].amount");
}

TEST(ComputeOrderMoneyTest, RefusesTendersThatDoNotAddUpToTheTotal) {
  v1::Order order = UsOrder();
  order.mutable_payments(1)->mutable_amount()->set_amount_minor(6924);
  auto money = ComputeOrderMoney(order, "order");
  ExpectInvalidField(money, "order.payments");
  EXPECT_TRUE(absl::StrContains(money.status().message(), "8924")) << money.status();
  EXPECT_TRUE(absl::StrContains(money.status().message(), "8925")) << money.status();

  order = UsOrder();
  order.clear_total();
  AddPayment(&order, "pay-extra", v1::TENDER_KIND_WALLET, 1, "w");  // one cent too many
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments");
}

TEST(ComputeOrderMoneyTest, RefusesAnUnknownTenderKind) {
  v1::Order order = UsOrder();
  order.mutable_payments(0)->set_kind(static_cast<v1::TenderKind>(99));
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[0].kind");

  order = UsOrder();
  order.mutable_payments(1)->set_kind(v1::TENDER_KIND_UNSPECIFIED);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[1].kind");
}

TEST(ComputeOrderMoneyTest, RefusesPaymentsWithoutAnIdOrWithARepeatedIdOrNoAmount) {
  v1::Order order = UsOrder();
  order.mutable_payments(0)->clear_payment_id();
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[0].payment_id");

  order = UsOrder();
  order.mutable_payments(1)->set_payment_id("pay-gc");
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[1].payment_id");

  order = UsOrder();
  order.mutable_payments(1)->clear_amount();
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[1].amount");

  order = UsOrder();
  order.mutable_payments(0)->mutable_amount()->set_amount_minor(0);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.payments[0].amount.amount_minor");
}

TEST(ComputeOrderMoneyTest, RefusesSharesOnSomeLinesOnly) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_lines(0)->mutable_order_discount_share(), "USD", 1799);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[1].order_discount_share");

  order = UsOrder();
  SetMoney(order.mutable_lines(1)->mutable_order_discount_share(), "USD", 1799);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[0].order_discount_share");
}

TEST(ComputeOrderMoneyTest, RefusesSharesThatDoNotAddUpToTheOrderDiscount) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_lines(0)->mutable_order_discount_share(), "USD", 799);
  SetMoney(order.mutable_lines(1)->mutable_order_discount_share(), "USD", 800);
  SetMoney(order.mutable_lines(2)->mutable_order_discount_share(), "USD", 199);  // 1798
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.order_discount");

  order = UsOrder();
  order.clear_order_discount();  // shares of 5 but no order discount at all
  for (int i = 0; i < 3; ++i) {
    SetMoney(order.mutable_lines(i)->mutable_order_discount_share(), "USD", i == 1 ? 5 : 0);
  }
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.order_discount");
}

TEST(ComputeOrderMoneyTest, RefusesAShareLargerThanItsLine) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_order_discount(), "USD", 1000);
  SetMoney(order.mutable_lines(0)->mutable_order_discount_share(), "USD", 0);
  SetMoney(order.mutable_lines(1)->mutable_order_discount_share(), "USD", 0);
  SetMoney(order.mutable_lines(2)->mutable_order_discount_share(), "USD", 1000);  // line: 999
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[2].order_discount_share");
}

TEST(ComputeOrderMoneyTest, RefusesAnOrderDiscountLargerThanTheLines) {
  v1::Order order = UsOrder();
  SetMoney(order.mutable_order_discount(), "USD", 8998);  // the lines after their discounts: 8997
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.order_discount");

  v1::Order empty;
  empty.set_currency_code("EUR");
  SetMoney(empty.mutable_order_discount(), "EUR", 1);
  ExpectInvalidField(ComputeOrderMoney(empty, "order"), "order.order_discount");
}

TEST(ComputeOrderMoneyTest, RefusesInclusiveTaxLargerThanWhatItIsIncludedIn) {
  v1::Order order = EuOrder();
  order.mutable_lines(1)->mutable_tax_lines(0)->mutable_amount()->set_amount_minor(901);  // in 900
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[1].tax_lines");

  order = EuOrder();  // two VAT lines that together exceed the line
  AddTax(order.mutable_lines(2)->mutable_tax_lines(), "EUR", 200000, 1403);  // 98 + 1403 > 1500
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[2].tax_lines");

  order = EuOrder();
  order.mutable_shipping_tax_lines(0)->mutable_amount()->set_amount_minor(496);  // in 495
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.shipping_tax_lines");

  order = EuOrder();  // all of it is tax: allowed
  order.mutable_lines(1)->mutable_tax_lines(0)->mutable_amount()->set_amount_minor(900);
  order.clear_payments();
  order.clear_total();
  EXPECT_TRUE(ComputeOrderMoney(order, "order").ok());
}

TEST(ComputeOrderMoneyTest, RefusesTaxLinesWithoutATaxMode) {
  v1::Order order = UsOrder();
  order.clear_tax_mode();
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.tax_mode");

  order = EuOrder();  // only the shipping is taxed
  order.clear_tax_mode();
  for (int i = 0; i < order.lines_size(); ++i) order.mutable_lines(i)->clear_tax_lines();
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.tax_mode");

  order = UsOrder();
  order.set_tax_mode(static_cast<v1::TaxMode>(7));
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.tax_mode");
}

TEST(ComputeOrderMoneyTest, RefusesATaxRateOutOfRange) {
  v1::Order order = UsOrder();
  order.mutable_lines(0)->mutable_tax_lines(1)->set_rate_ppm(-1);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[0].tax_lines[1].rate_ppm");

  order = UsOrder();
  order.mutable_shipping_tax_lines(0)->set_rate_ppm(1000001);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.shipping_tax_lines[0].rate_ppm");
}

TEST(ComputeOrderMoneyTest, RefusesATotalThatDoesNotMatch) {
  v1::Order order = UsOrder();
  order.mutable_total()->set_amount_minor(8924);
  auto money = ComputeOrderMoney(order, "order");
  ExpectInvalidField(money, "order.total");
  EXPECT_TRUE(absl::StrContains(money.status().message(), "8925")) << money.status();

  order = EuOrder();  // the total as if the VAT were on top
  order.mutable_total()->set_amount_minor(7893 + 833 + 150 + 98 + 83);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.total");
}

TEST(ComputeOrderMoneyTest, RefusesNegativeAmounts) {
  const std::vector<std::pair<std::string, void (*)(v1::Order*)>> cases = {
      {"order.lines[1].line_discount.amount_minor",
       [](v1::Order* o) { o->mutable_lines(1)->mutable_line_discount()->set_amount_minor(-1); }},
      {"order.order_discount.amount_minor",
       [](v1::Order* o) { o->mutable_order_discount()->set_amount_minor(-1799); }},
      {"order.lines[0].order_discount_share.amount_minor",
       [](v1::Order* o) {
         SetMoney(o->mutable_lines(0)->mutable_order_discount_share(), "USD", -1);
         SetMoney(o->mutable_lines(1)->mutable_order_discount_share(), "USD", 1000);
         SetMoney(o->mutable_lines(2)->mutable_order_discount_share(), "USD", 800);
       }},
      {"order.lines[0].tax_lines[1].amount.amount_minor",
       [](v1::Order* o) {
         o->mutable_lines(0)->mutable_tax_lines(1)->mutable_amount()->set_amount_minor(-84);
       }},
      {"order.shipping.amount_minor",
       [](v1::Order* o) { o->mutable_shipping()->set_amount_minor(-999); }},
      {"order.shipping_tax_lines[0].amount.amount_minor",
       [](v1::Order* o) {
         o->mutable_shipping_tax_lines(0)->mutable_amount()->set_amount_minor(-89);
       }},
      {"order.payments[0].amount.amount_minor",
       [](v1::Order* o) { o->mutable_payments(0)->mutable_amount()->set_amount_minor(-2000); }},
      {"order.total.amount_minor",
       [](v1::Order* o) { o->mutable_total()->set_amount_minor(-8925); }},
  };
  for (const auto& [field, change] : cases) {
    v1::Order order = UsOrder();
    change(&order);
    ExpectInvalidField(ComputeOrderMoney(order, "order"), field);
  }
}

TEST(ComputeOrderMoneyTest, RefusesAmountsInAnotherCurrency) {
  const std::vector<std::pair<std::string, void (*)(v1::Order*)>> cases = {
      {"order.lines[1].line_discount.currency_code",
       [](v1::Order* o) {
         o->mutable_lines(1)->mutable_line_discount()->set_currency_code("EUR");
       }},
      {"order.order_discount.currency_code",
       [](v1::Order* o) { o->mutable_order_discount()->set_currency_code("CAD"); }},
      {"order.lines[2].order_discount_share.currency_code",
       [](v1::Order* o) {
         SetMoney(o->mutable_lines(0)->mutable_order_discount_share(), "USD", 799);
         SetMoney(o->mutable_lines(1)->mutable_order_discount_share(), "USD", 800);
         SetMoney(o->mutable_lines(2)->mutable_order_discount_share(), "usd", 200);
       }},
      {"order.lines[2].tax_lines[0].amount.currency_code",
       [](v1::Order* o) {
         o->mutable_lines(2)->mutable_tax_lines(0)->mutable_amount()->set_currency_code("EUR");
       }},
      {"order.shipping.currency_code",
       [](v1::Order* o) { o->mutable_shipping()->set_currency_code("EUR"); }},
      {"order.shipping_tax_lines[0].amount.currency_code",
       [](v1::Order* o) {
         o->mutable_shipping_tax_lines(0)->mutable_amount()->set_currency_code("");
       }},
      {"order.payments[1].amount.currency_code",
       [](v1::Order* o) { o->mutable_payments(1)->mutable_amount()->set_currency_code("EUR"); }},
      {"order.total.currency_code",
       [](v1::Order* o) { o->mutable_total()->set_currency_code("EUR"); }},
  };
  for (const auto& [field, change] : cases) {
    v1::Order order = UsOrder();
    change(&order);
    ExpectInvalidField(ComputeOrderMoney(order, "order"), field);
  }
}

// paid_money.h promises "every amount in the order's currency and not negative", and the unit
// price is the amount every other one is computed from. (The API's CheckOrderLine checks it
// before, but the domain function promises it on its own.)
TEST(ComputeOrderMoneyTest, RefusesAUnitPriceInAnotherCurrencyOrNegative) {
  v1::Order order = UsOrder();
  order.mutable_lines(0)->mutable_unit_price()->set_currency_code("EUR");
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[0].unit_price.currency_code");

  order = UsOrder();
  order.mutable_lines(2)->mutable_unit_price()->set_amount_minor(-333);
  ExpectInvalidField(ComputeOrderMoney(order, "order"), "order.lines[2].unit_price.amount_minor");
}

TEST(ComputeOrderMoneyTest, RefusesAmountsThatOverflow) {
  v1::Order order;
  order.set_currency_code("EUR");
  AddLine(&order, std::numeric_limits<int64_t>::max(), 2);
  EXPECT_EQ(ComputeOrderMoney(order, "order").status().code(), absl::StatusCode::kOutOfRange);

  order.clear_lines();
  AddLine(&order, std::numeric_limits<int64_t>::max(), 1);
  AddLine(&order, 1, 1);
  EXPECT_EQ(ComputeOrderMoney(order, "order").status().code(), absl::StatusCode::kOutOfRange);
}

// ---------------------------------------------------------------------------------------------
// AllocateLargestRemainder.

TEST(AllocateLargestRemainderTest, HandExamples) {
  EXPECT_EQ(AllocateLargestRemainder(1799, {3998, 4000, 999}),
            (std::vector<int64_t>{799, 800, 200}));
  EXPECT_EQ(AllocateLargestRemainder(10, {1, 1, 1}), (std::vector<int64_t>{4, 3, 3}));
  EXPECT_EQ(AllocateLargestRemainder(2, {1, 1, 1}), (std::vector<int64_t>{1, 1, 0}));
  EXPECT_EQ(AllocateLargestRemainder(1, {1, 3, 2}), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(AllocateLargestRemainder(5, {3, 0, 3}), (std::vector<int64_t>{3, 0, 2}));
  EXPECT_EQ(AllocateLargestRemainder(0, {3, 5}), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(AllocateLargestRemainder(100, {7}), (std::vector<int64_t>{100}));
  EXPECT_EQ(AllocateLargestRemainder(7, {0, 0}), (std::vector<int64_t>{7, 0}));  // documented
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(AllocateLargestRemainder(max, {max, max}),
            (std::vector<int64_t>{max / 2 + 1, max / 2}));
}

std::string Describe(int64_t amount, const std::vector<int64_t>& weights) {
  return absl::StrCat("amount ", amount, " weights {", absl::StrJoin(weights, ", "), "}");
}

TEST(AllocateLargestRemainderTest, GeneratedSharesAddUpAreProportionalAndFavourLargestRemainders) {
  constexpr uint32_t kSeed = 20240611;
  SCOPED_TRACE(absl::StrCat("std::mt19937 seed ", kSeed));
  std::mt19937 random(kSeed);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  const int64_t kScales[] = {3, 1000, 1000000000, 1000000000000000};
  const int64_t kAmountScales[] = {5, 100000, std::numeric_limits<int64_t>::max()};
  for (int c = 0; c < 5000 && !HasFailure(); ++c) {
    const int64_t scale = kScales[pick(0, 3)];
    std::vector<int64_t> weights(static_cast<size_t>(pick(1, 8)));
    for (int64_t& w : weights) w = pick(0, 3) == 0 ? 0 : pick(0, scale);
    const int64_t amount = pick(0, kAmountScales[pick(0, 2)]);
    SCOPED_TRACE(absl::StrCat("case ", c, ": ", Describe(amount, weights)));

    const std::vector<int64_t> shares = AllocateLargestRemainder(amount, weights);
    ASSERT_EQ(shares.size(), weights.size());
    __int128 total_weight = 0;
    __int128 sum = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      total_weight += weights[i];
      sum += shares[i];
    }
    EXPECT_TRUE(sum == amount) << "the shares do not add up to the amount";
    if (total_weight == 0) {
      EXPECT_EQ(shares[0], amount);
      continue;
    }
    std::vector<__int128> remainders(weights.size());
    std::vector<bool> rounded_up(weights.size());
    for (size_t i = 0; i < weights.size(); ++i) {
      const __int128 exact = static_cast<__int128>(amount) * weights[i];  // share x W, exactly
      const __int128 given = static_cast<__int128>(shares[i]) * total_weight;
      EXPECT_TRUE(given > exact - total_weight && given < exact + total_weight)
          << "share " << i << " (" << shares[i] << ") is not within 1 of its proportion";
      EXPECT_GE(shares[i], 0) << i;
      if (weights[i] == 0) {
        EXPECT_EQ(shares[i], 0) << "a zero weight got something at " << i;
      }
      remainders[i] = exact % total_weight;
      rounded_up[i] = given > exact;
    }
    // Whoever got a cent over its floor had a larger remainder than whoever did not (or the same
    // and came first).
    for (size_t i = 0; i < weights.size(); ++i) {
      for (size_t j = 0; j < weights.size(); ++j) {
        if (!rounded_up[i] || rounded_up[j]) continue;
        EXPECT_TRUE(remainders[i] > remainders[j] || (remainders[i] == remainders[j] && i < j))
            << "position " << i << " got a cent left over before position " << j;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ShareOfUnits.

TEST(ShareOfUnitsTest, OneHundredCentsOverThreeUnits) {
  LineRemainder left{3, 100, 0};
  std::vector<int64_t> taken;
  while (left.units > 0) {
    const UnitsShare share = ShareOfUnits(left, 1);
    taken.push_back(share.paid_minor);
    left = {left.units - 1, left.paid_minor - share.paid_minor, left.tax_minor - share.tax_minor};
  }
  EXPECT_EQ(taken, (std::vector<int64_t>{33, 33, 34}));

  const UnitsShare two = ShareOfUnits({3, 100, 0}, 2);
  EXPECT_EQ(two.paid_minor, 66);
  const UnitsShare last = ShareOfUnits({1, 100 - two.paid_minor, 0}, 1);
  EXPECT_EQ(last.paid_minor, 34);

  const UnitsShare all = ShareOfUnits({3, 100, 0}, 3);
  EXPECT_EQ(all.paid_minor, 100);
}

TEST(ShareOfUnitsTest, TaxIsSharedTheSameWay) {
  const UnitsShare one = ShareOfUnits({3, 3483, 284}, 1);
  EXPECT_EQ(one.paid_minor, 1161);
  EXPECT_EQ(one.tax_minor, 94);  // 284 / 3 = 94.67, rounded down
  const UnitsShare rest = ShareOfUnits({2, 3483 - 1161, 284 - 94}, 2);
  EXPECT_EQ(rest.paid_minor, 2322);
  EXPECT_EQ(rest.tax_minor, 190);
}

struct LiveReturn {
  int32_t units;
  UnitsShare share;
};

// Lines with random paid and tax (tax <= paid, as in both tax modes) returned one unit at a time,
// all together, in random splits, and in random splits with returns cancelled on the way (giving
// their units and money back to the line).
TEST(ShareOfUnitsTest, GeneratedReturnSequencesGiveBackExactlyWhatWasPaid) {
  constexpr uint32_t kSeed = 7301;
  SCOPED_TRACE(absl::StrCat("std::mt19937 seed ", kSeed));
  std::mt19937 random(kSeed);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  const int64_t kPaidScales[] = {0, 100, 1000000, 1000000000000000,
                                 std::numeric_limits<int64_t>::max()};
  const char* const kModes[] = {"one at a time", "all together", "random splits",
                                "random splits with cancellations"};
  for (int c = 0; c < 4000 && !HasFailure(); ++c) {
    const int32_t quantity = static_cast<int32_t>(pick(1, 24));
    const int64_t paid = pick(0, kPaidScales[pick(0, 4)]);
    const int64_t tax = pick(0, 2) == 0 ? 0 : pick(0, paid);
    const int mode = static_cast<int>(pick(0, 3));
    SCOPED_TRACE(absl::StrCat("case ", c, ": quantity ", quantity, " paid ", paid, " tax ", tax,
                              ", ", kModes[mode]));

    LineRemainder left{quantity, paid, tax};
    std::vector<LiveReturn> live;
    __int128 taken_paid = 0;
    __int128 taken_tax = 0;
    std::vector<std::string> steps;
    for (int step = 0; left.units > 0 && !HasFailure(); ++step) {
      const bool cancel = mode == 3 && !live.empty() && step < 4 * quantity && pick(0, 2) == 0;
      if (cancel) {
        const size_t which = static_cast<size_t>(pick(0, static_cast<int64_t>(live.size()) - 1));
        const LiveReturn back = live[which];
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(which));
        left = {left.units + back.units, left.paid_minor + back.share.paid_minor,
                left.tax_minor + back.share.tax_minor};
        taken_paid -= back.share.paid_minor;
        taken_tax -= back.share.tax_minor;
        steps.push_back(absl::StrCat("cancel ", back.units));
        continue;
      }
      int32_t units = left.units;
      if (mode == 0) units = 1;
      if (mode >= 2) units = static_cast<int32_t>(pick(1, left.units));
      SCOPED_TRACE(absl::StrCat("steps so far: ", absl::StrJoin(steps, ", "), "; now ", units,
                                " of ", left.units));
      const UnitsShare share = ShareOfUnits(left, units);
      EXPECT_GE(share.paid_minor, 0);
      EXPECT_GE(share.tax_minor, 0);
      EXPECT_LE(share.tax_minor, share.paid_minor);
      EXPECT_LE(share.paid_minor, left.paid_minor);
      EXPECT_LE(share.tax_minor, left.tax_minor);
      if (units < left.units) {  // the rule: remaining x units / remaining units, rounded down
        EXPECT_TRUE(share.paid_minor == static_cast<__int128>(left.paid_minor) * units / left.units)
            << share.paid_minor;
        EXPECT_TRUE(share.tax_minor == static_cast<__int128>(left.tax_minor) * units / left.units)
            << share.tax_minor;
      } else {
        EXPECT_EQ(share.paid_minor, left.paid_minor);
        EXPECT_EQ(share.tax_minor, left.tax_minor);
      }
      live.push_back({units, share});
      left = {left.units - units, left.paid_minor - share.paid_minor,
              left.tax_minor - share.tax_minor};
      taken_paid += share.paid_minor;
      taken_tax += share.tax_minor;
      steps.push_back(absl::StrCat("return ", units));
      EXPECT_TRUE(taken_paid <= paid) << "the returns took more than the line paid";
      EXPECT_TRUE(taken_tax <= tax) << "the returns took more tax than the line had";
    }
    EXPECT_EQ(left.units, 0);
    EXPECT_TRUE(taken_paid == paid) << "every unit returned but not exactly what was paid";
    EXPECT_TRUE(taken_tax == tax) << "every unit returned but not exactly the tax";
    __int128 live_paid = 0;
    for (const LiveReturn& r : live) live_paid += r.share.paid_minor;
    EXPECT_TRUE(live_paid == paid);
  }
}

// ---------------------------------------------------------------------------------------------
// SplitOverTenders.

TenderBalance Tender(const std::string& id, v1::TenderKind kind, int64_t refundable) {
  TenderBalance tender;
  tender.payment_id = id;
  tender.kind = kind;
  tender.reference = "ref-" + id;
  tender.refundable_minor = refundable;
  return tender;
}

// payment_id:amount for each share, in the split's order.
std::string Shares(const TenderSplit& split) {
  std::vector<std::string> parts;
  for (const v1::TenderShare& share : split.shares) {
    parts.push_back(absl::StrCat(share.payment_id(), ":", share.amount().amount_minor()));
  }
  return absl::StrJoin(parts, " ");
}

TEST(SplitOverTendersTest, TheDefaultOrderRefundsTheCardLast) {
  EXPECT_EQ(DefaultRefundTenderOrder(),
            (std::vector<v1::TenderKind>{v1::TENDER_KIND_GIFT_CARD, v1::TENDER_KIND_STORE_CREDIT,
                                         v1::TENDER_KIND_WALLET, v1::TENDER_KIND_CARD}));
  const std::vector<TenderBalance> tenders = {Tender("card", v1::TENDER_KIND_CARD, 5000),
                                              Tender("wallet", v1::TENDER_KIND_WALLET, 700),
                                              Tender("gc", v1::TENDER_KIND_GIFT_CARD, 2000),
                                              Tender("credit", v1::TENDER_KIND_STORE_CREDIT, 300)};
  const TenderSplit split = SplitOverTenders(3500, tenders, DefaultRefundTenderOrder(), "USD");
  EXPECT_EQ(Shares(split), "gc:2000 credit:300 wallet:700 card:500");
  EXPECT_EQ(split.unallocated_minor, 0);
  ASSERT_EQ(split.shares.size(), 4u);
  const v1::TenderShare& card = split.shares[3];
  EXPECT_EQ(card.kind(), v1::TENDER_KIND_CARD);
  EXPECT_EQ(card.reference(), "ref-card");
  EXPECT_EQ(card.amount().currency_code(), "USD");
  EXPECT_EQ(split.shares[0].kind(), v1::TENDER_KIND_GIFT_CARD);
  EXPECT_EQ(split.shares[0].reference(), "ref-gc");

  // A refund the gift card covers never touches the card.
  EXPECT_EQ(Shares(SplitOverTenders(1500, tenders, DefaultRefundTenderOrder(), "USD")), "gc:1500");
}

TEST(SplitOverTendersTest, ACustomOrderThenTheKindsNotListedInPaymentOrder) {
  const std::vector<TenderBalance> tenders = {Tender("gc", v1::TENDER_KIND_GIFT_CARD, 2000),
                                              Tender("wallet", v1::TENDER_KIND_WALLET, 1000),
                                              Tender("card", v1::TENDER_KIND_CARD, 500),
                                              Tender("credit", v1::TENDER_KIND_STORE_CREDIT, 700)};
  const TenderSplit split =
      SplitOverTenders(4000, tenders, {v1::TENDER_KIND_CARD, v1::TENDER_KIND_WALLET}, "EUR");
  EXPECT_EQ(Shares(split), "card:500 wallet:1000 gc:2000 credit:500");
  EXPECT_EQ(split.unallocated_minor, 0);

  EXPECT_EQ(Shares(SplitOverTenders(4200, tenders, {}, "EUR")),  // no order: payment order
            "gc:2000 wallet:1000 card:500 credit:700");
}

TEST(SplitOverTendersTest, PaymentsOfOneKindGoInThePaymentOrder) {
  const std::vector<TenderBalance> tenders = {Tender("card-1", v1::TENDER_KIND_CARD, 300),
                                              Tender("gc", v1::TENDER_KIND_GIFT_CARD, 100),
                                              Tender("card-2", v1::TENDER_KIND_CARD, 800)};
  EXPECT_EQ(Shares(SplitOverTenders(1000, tenders, DefaultRefundTenderOrder(), "EUR")),
            "gc:100 card-1:300 card-2:600");
}

TEST(SplitOverTendersTest, EachTenderGetsAtMostItsRefundableAndTheRestIsUnallocated) {
  const std::vector<TenderBalance> tenders = {Tender("card", v1::TENDER_KIND_CARD, 1500),
                                              Tender("gc", v1::TENDER_KIND_GIFT_CARD, 1000)};
  const TenderSplit split = SplitOverTenders(5000, tenders, DefaultRefundTenderOrder(), "EUR");
  EXPECT_EQ(Shares(split), "gc:1000 card:1500");
  EXPECT_EQ(split.unallocated_minor, 2500);

  const TenderSplit none = SplitOverTenders(5000, {}, DefaultRefundTenderOrder(), "EUR");
  EXPECT_TRUE(none.shares.empty());
  EXPECT_EQ(none.unallocated_minor, 5000);

  const TenderSplit nothing = SplitOverTenders(0, tenders, DefaultRefundTenderOrder(), "EUR");
  EXPECT_TRUE(nothing.shares.empty());
  EXPECT_EQ(nothing.unallocated_minor, 0);
}

TEST(SplitOverTendersTest, TendersWithNothingRefundableAreSkipped) {
  const std::vector<TenderBalance> tenders = {Tender("gc", v1::TENDER_KIND_GIFT_CARD, 0),
                                              Tender("credit", v1::TENDER_KIND_STORE_CREDIT, 0),
                                              Tender("card", v1::TENDER_KIND_CARD, 3000)};
  const TenderSplit split = SplitOverTenders(1000, tenders, DefaultRefundTenderOrder(), "EUR");
  EXPECT_EQ(Shares(split), "card:1000");
  EXPECT_EQ(split.unallocated_minor, 0);

  const TenderSplit all_used = SplitOverTenders(10, {Tender("gc", v1::TENDER_KIND_GIFT_CARD, 0)},
                                                DefaultRefundTenderOrder(), "EUR");
  EXPECT_TRUE(all_used.shares.empty());
  EXPECT_EQ(all_used.unallocated_minor, 10);
}

TEST(SplitOverTendersTest, GeneratedSplitsAddUpAndNeverExceedABalance) {
  constexpr uint32_t kSeed = 424242;
  SCOPED_TRACE(absl::StrCat("std::mt19937 seed ", kSeed));
  std::mt19937 random(kSeed);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  const std::vector<v1::TenderKind> kKinds = {v1::TENDER_KIND_CARD, v1::TENDER_KIND_GIFT_CARD,
                                              v1::TENDER_KIND_STORE_CREDIT, v1::TENDER_KIND_WALLET};
  for (int c = 0; c < 5000 && !HasFailure(); ++c) {
    std::vector<TenderBalance> tenders;
    int64_t balance = 0;
    const int64_t count = pick(0, 6);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t refundable = pick(0, 3) == 0 ? 0 : pick(1, 10000);
      tenders.push_back(Tender(absl::StrCat("p", i), kKinds[pick(0, 3)], refundable));
      balance += refundable;
    }
    std::vector<v1::TenderKind> kind_order = DefaultRefundTenderOrder();
    if (pick(0, 1) == 1) {  // a random subset in a random order
      std::shuffle(kind_order.begin(), kind_order.end(), random);
      kind_order.resize(static_cast<size_t>(pick(0, 4)));
    }
    const int64_t amount = pick(0, balance + 5000);
    std::vector<std::string> described;
    for (const TenderBalance& t : tenders) {
      described.push_back(
          absl::StrCat(t.payment_id, "/", v1::TenderKind_Name(t.kind), "/", t.refundable_minor));
    }
    std::vector<std::string> order_names;
    for (v1::TenderKind k : kind_order) order_names.push_back(v1::TenderKind_Name(k));
    SCOPED_TRACE(absl::StrCat("case ", c, ": amount ", amount, " tenders {",
                              absl::StrJoin(described, ", "), "} order {",
                              absl::StrJoin(order_names, ", "), "}"));

    const TenderSplit split = SplitOverTenders(amount, tenders, kind_order, "EUR");
    SCOPED_TRACE(absl::StrCat("split: ", Shares(split), " unallocated ", split.unallocated_minor));
    auto rank = [&](v1::TenderKind kind) {
      for (size_t k = 0; k < kind_order.size(); ++k) {
        if (kind_order[k] == kind) return k;
      }
      return kind_order.size();
    };
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < tenders.size(); ++i) index[tenders[i].payment_id] = i;

    int64_t sum = split.unallocated_minor;
    EXPECT_GE(split.unallocated_minor, 0);
    std::set<size_t> used;
    std::pair<size_t, size_t> previous{0, 0};
    for (size_t s = 0; s < split.shares.size(); ++s) {
      const v1::TenderShare& share = split.shares[s];
      ASSERT_EQ(index.count(share.payment_id()), 1u) << share.payment_id();
      const size_t i = index[share.payment_id()];
      const TenderBalance& tender = tenders[i];
      const int64_t take = share.amount().amount_minor();
      sum += take;
      EXPECT_GT(take, 0) << share.payment_id();
      EXPECT_LE(take, tender.refundable_minor)
          << share.payment_id() << " got more than its balance";
      EXPECT_EQ(share.kind(), tender.kind);
      EXPECT_EQ(share.reference(), tender.reference);
      EXPECT_EQ(share.amount().currency_code(), "EUR");
      EXPECT_TRUE(used.insert(i).second) << share.payment_id() << " appears twice";
      const std::pair<size_t, size_t> position{rank(tender.kind), i};
      if (s > 0) {
        EXPECT_LT(previous, position) << share.payment_id() << " is out of order";
      }
      previous = position;
      if (s + 1 < split.shares.size()) {  // every tender before the last is used up
        EXPECT_EQ(take, tender.refundable_minor) << share.payment_id();
      }
    }
    EXPECT_EQ(sum, amount) << "the shares and the unallocated do not add up to the amount";
    // A tender with a balance that got nothing comes after the last share, and only when the
    // amount was used up.
    for (size_t i = 0; i < tenders.size(); ++i) {
      if (tenders[i].refundable_minor == 0 || used.count(i) > 0) continue;
      EXPECT_EQ(split.unallocated_minor, 0) << tenders[i].payment_id << " was left with money";
      if (!split.shares.empty()) {
        EXPECT_LT(previous, std::make_pair(rank(tenders[i].kind), i))
            << tenders[i].payment_id << " was skipped";
      }
    }
  }
}

}  // namespace
}  // namespace returns
