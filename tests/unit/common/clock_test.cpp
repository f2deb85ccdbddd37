#include "common/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace routerly::clock {
namespace {

TEST(Clock, NowIsConsistent) {
  const int64_t ms = now_ms();
  const int64_t s = now_s();
  EXPECT_GT(ms, 1'700'000'000'000);  // after 2023
  EXPECT_LE(s - ms / 1000, 1);
  EXPECT_GE(s - ms / 1000, 0);
  const std::string iso = iso_now();
  ASSERT_TRUE(parse_iso(iso).has_value()) << iso;
  EXPECT_LE(*parse_iso(iso) - ms, 1000);
}

TEST(Clock, IsoUtcFormat) {
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_utc(1'768'473'000'123), "2026-01-15T10:30:00.123Z");
  EXPECT_EQ(iso_utc(951'782'400'000), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(iso_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(iso_utc(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
}

TEST(Clock, RoundTripsManyInstants) {
  for (int64_t ms = -86'400'000LL * 800; ms < 86'400'000LL * 30000; ms += 86'400'000LL * 13 + 3'599'007) {
    const auto parsed = parse_iso(iso_utc(ms));
    ASSERT_TRUE(parsed.has_value()) << iso_utc(ms);
    EXPECT_EQ(*parsed, ms) << iso_utc(ms);
  }
}

TEST(Clock, ParsesSupportedForms) {
  const int64_t base = 1'768'473'000'000;  // 2026-01-15T10:30:00Z
  EXPECT_EQ(parse_iso("2026-01-15"), 1'768'435'200'000);
  EXPECT_EQ(parse_iso("2026-01-15T10:30"), base);
  EXPECT_EQ(parse_iso("2026-01-15T10:30Z"), base);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00"), base);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00Z"), base);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00.123Z"), base + 123);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00.1Z"), base + 100);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00.123456789Z"), base + 123);
  EXPECT_EQ(parse_iso("2026-01-15 10:30:00"), base);
  EXPECT_EQ(parse_iso("2026-01-15T12:30:00+02:00"), base);
  EXPECT_EQ(parse_iso("2026-01-15T12:30:00+0200"), base);
  EXPECT_EQ(parse_iso("2026-01-15T05:00:00.500-05:30"), base + 500);
  EXPECT_EQ(parse_iso("2026-01-15T10:30:00+00:00"), base);
  EXPECT_EQ(parse_iso("2026-01-16T00:30:00+14:00"), base);
  EXPECT_EQ(parse_iso("2024-02-29"), 1'709'164'800'000);
}

TEST(Clock, RejectsGarbage) {
  for (const char* bad : {"",
                          "garbage",
                          "2026",
                          "2026-01",
                          "2026-1-15",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-02-29",
                          "2026-04-31",
                          "2026-01-15T",
                          "2026-01-15T10",
                          "2026-01-15T24:00",
                          "2026-01-15T10:60",
                          "2026-01-15T10:30:60",
                          "2026-01-15T10:30:00.",
                          "2026-01-15T10:30:00.1234567890Z",
                          "2026-01-15T10:30:00ZZ",
                          "2026-01-15Z",
                          "2026-01-15T10:30:00+2",
                          "2026-01-15T10:30:00+24:00",
                          "2026-01-15T10:30:00+02:60",
                          " 2026-01-15",
                          "2026-01-15 ",
                          "2026-01-15T10:30:00 Z",
                          "2026/01/15",
                          "+2026-01-15",
                          "2026-01-15T10:30:00.12a"}) {
    EXPECT_FALSE(parse_iso(bad).has_value()) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace routerly::clock
