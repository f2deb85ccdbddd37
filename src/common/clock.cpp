#include "common/clock.hpp"

#include <chrono>
#include <cstdio>

namespace routerly::clock {

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Proleptic Gregorian calendar ⇄ days since 1970-01-01, via 400-year eras (146097 days each)
// whose years start in March so that the leap day is the last day of a year.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = floor_div(y, 400);
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned month_from_march = m > 2 ? m - 3 : m + 9;
  const unsigned day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = floor_div(days, 146097);
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_from_march = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
  const unsigned month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  return {static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// A cursor over the input that reads fixed-width decimal fields.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::optional<unsigned> digits(std::size_t count) {
    if (text_.size() - pos_ < count) return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    pos_ += count;
    return value;
  }
  bool is_digit() const { return peek() >= '0' && peek() <= '9'; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t now_s() {
  return floor_div(now_ms(), 1000);
}

std::string iso_utc(int64_t epoch_ms) {
  const int64_t days = floor_div(epoch_ms, kMsPerDay);
  const int64_t in_day = epoch_ms - days * kMsPerDay;
  const Civil c = civil_from_days(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(c.year), c.month, c.day, static_cast<long long>(in_day / 3'600'000),
                static_cast<long long>(in_day / 60'000 % 60), static_cast<long long>(in_day / 1000 % 60),
                static_cast<long long>(in_day % 1000));
  return buf;
}

std::string iso_now() {
  return iso_utc(now_ms());
}

std::optional<int64_t> parse_iso(std::string_view text) {
  Cursor in(text);
  const auto year = in.digits(4);
  if (!year || !in.eat('-')) return std::nullopt;
  const auto month = in.digits(2);
  if (!month || *month < 1 || *month > 12 || !in.eat('-')) return std::nullopt;
  const auto day = in.digits(2);
  if (!day || *day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
  const int64_t date_ms = days_from_civil(*year, *month, *day) * kMsPerDay;
  if (in.done()) return date_ms;  // a bare date is midnight UTC

  if (!in.eat('T') && !in.eat('t') && !in.eat(' ')) return std::nullopt;
  const auto hour = in.digits(2);
  if (!hour || *hour > 23 || !in.eat(':')) return std::nullopt;
  const auto minute = in.digits(2);
  if (!minute || *minute > 59) return std::nullopt;
  unsigned second = 0;
  unsigned millis = 0;
  if (in.eat(':')) {
    const auto s = in.digits(2);
    if (!s || *s > 59) return std::nullopt;
    second = *s;
    if (in.eat('.')) {
      // Up to nanoseconds accepted; precision beyond milliseconds is truncated.
      if (!in.is_digit()) return std::nullopt;
      unsigned scale = 100;
      for (int count = 0; in.is_digit(); ++count) {
        if (count == 9) return std::nullopt;
        const unsigned digit = *in.digits(1);
        millis += digit * scale;
        scale /= 10;
      }
    }
  }
  int64_t offset_minutes = 0;
  if (in.eat('Z') || in.eat('z')) {
    // UTC
  } else if (in.peek() == '+' || in.peek() == '-') {
    const int sign = in.peek() == '-' ? -1 : 1;
    in.eat(in.peek());
    const auto oh = in.digits(2);
    if (!oh || *oh > 23) return std::nullopt;
    in.eat(':');
    const auto om = in.digits(2);
    if (!om || *om > 59) return std::nullopt;
    offset_minutes = sign * static_cast<int64_t>(*oh * 60 + *om);
  }
  if (!in.done()) return std::nullopt;
  const int64_t local_ms = date_ms + ((*hour * 60LL + *minute) * 60LL + second) * 1000LL + millis;
  return local_ms - offset_minutes * 60'000;
}

}  // namespace routerly::clock
