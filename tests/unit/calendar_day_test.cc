#include "domain/calendar_day.h"

#include <gtest/gtest.h>

namespace returns {
namespace {

TEST(CalendarDayTest, AcceptsStrictIsoDaysOfTheRange) {
  EXPECT_EQ(ParseIsoDay("2024-02-29"), absl::CivilDay(2024, 2, 29));  // a leap day
  EXPECT_EQ(ParseIsoDay("2026-12-31"), absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(ParseIsoDay("2000-01-01"), kFirstKpiDay);
  EXPECT_EQ(ParseIsoDay("2999-12-31"), kLastKpiDay);
  EXPECT_EQ(kFirstKpiDay, absl::CivilDay(kFirstKpiYear, 1, 1));
  EXPECT_EQ(kLastKpiDay, absl::CivilDay(kLastKpiYear, 12, 31));
}

TEST(CalendarDayTest, RefusesYearsOutsideTheRange) {
  // "0001-01-01" once went to PostgreSQL as "1-01-01" (read as 2001-01-01); "0000-01-01" as
  // "0-01-01" (an error).
  for (const char* text : {"0001-01-01", "0001-12-31", "0000-01-01", "0999-12-31", "1999-12-31",
                           "3000-01-01", "9999-12-31"}) {
    EXPECT_EQ(ParseIsoDay(text), std::nullopt) << text;
  }
}

TEST(CalendarDayTest, RefusesDaysThatDoNotExist) {
  for (const char* text : {"2024-02-30", "2023-02-29", "2100-02-29", "2024-04-31", "2024-13-01",
                           "2024-00-10", "2024-01-00", "2024-01-32"}) {
    EXPECT_EQ(ParseIsoDay(text), std::nullopt) << text;
  }
  EXPECT_NE(ParseIsoDay("2000-02-29"), std::nullopt);  // divisible by 400: a leap year
}

// What absl::ParseCivilTime accepts and ISO 8601's YYYY-MM-DD does not.
TEST(CalendarDayTest, RefusesAnythingButYyyyMmDd) {
  for (const char* text :
       {" 2024-01-01", "2024-01-01 ", "2024-1-01", "2024-01-1", "2024-01-01x", "+2024-01-01",
        "-2024-01-01", "02024-01-01", "24-01-01", "2024/01/01", "20240101", "2024-01-01T00:00",
        "2024-0a-01", "2024-+1-01", "2024-01--1", "", "2024-01-"}) {
    EXPECT_EQ(ParseIsoDay(text), std::nullopt) << "[" << text << "]";
  }
  EXPECT_EQ(ParseIsoDay(absl::string_view("2024-01-01\0", 11)), std::nullopt);
}

TEST(CalendarDayTest, IsoDayPadsEveryField) {
  EXPECT_EQ(IsoDay(absl::CivilDay(1, 12, 31)), "0001-12-31");
  EXPECT_EQ(IsoDay(absl::CivilDay(0, 1, 1)), "0000-01-01");
  EXPECT_EQ(IsoDay(absl::CivilDay(999, 2, 3)), "0999-02-03");
  EXPECT_EQ(IsoDay(absl::CivilDay(2024, 2, 9)), "2024-02-09");
  EXPECT_EQ(IsoDay(absl::CivilDay(2999, 12, 31)), "2999-12-31");
}

TEST(CalendarDayTest, PrintingAndParsingRoundTrip) {
  for (absl::CivilDay day = kFirstKpiDay; day <= kFirstKpiDay + 800; day += 7) {
    EXPECT_EQ(ParseIsoDay(IsoDay(day)), day) << IsoDay(day);
  }
  EXPECT_EQ(ParseIsoDay(IsoDay(kLastKpiDay)), kLastKpiDay);
}

TEST(CalendarDayTest, TheRequirementNamesTheRange) {
  EXPECT_EQ(IsoDayRequirement(), "must be a day as YYYY-MM-DD from 2000-01-01 to 2999-12-31");
}

}  // namespace
}  // namespace returns
