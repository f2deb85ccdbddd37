#include "budget/window.hpp"

#include <chrono>

namespace routerly::budget {

namespace json = boost::json;

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

int64_t unit_ms(std::string_view unit) {
  if (unit == "second") return kSecondMs;
  if (unit == "minute") return kMinuteMs;
  if (unit == "hour") return kHourMs;
  if (unit == "week") return 7 * kDayMs;
  if (unit == "month") return 30 * kDayMs;
  return kDayMs;
}

std::string_view text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::optional<double> number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

// Legacy `window` strings (SPEC §6.1): minute/hour→hourly, day→daily, … other→daily.
std::string legacy_period(std::string_view w) {
  if (w == "minute" || w == "hour" || w == "hourly") return "hourly";
  if (w == "week" || w == "weekly") return "weekly";
  if (w == "month" || w == "monthly") return "monthly";
  if (w == "year" || w == "yearly") return "yearly";
  return "daily";
}

std::string two(unsigned v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

}  // namespace

int64_t period_start(std::string_view period, int64_t now_ms) {
  using namespace std::chrono;
  if (period == "hourly") return floor_div(now_ms, kHourMs) * kHourMs;
  const int64_t day = floor_div(now_ms, kDayMs);
  if (period == "weekly") {
    // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
    const int64_t weekday = ((day + 3) % 7 + 7) % 7;
    return (day - weekday) * kDayMs;
  }
  if (period == "monthly" || period == "yearly") {
    const year_month_day ymd{sys_days{days{day}}};
    const year_month_day first =
        period == "monthly" ? ymd.year() / ymd.month() / 1 : ymd.year() / January / 1;
    return static_cast<int64_t>(sys_days{first}.time_since_epoch().count()) * kDayMs;
  }
  return day * kDayMs;  // daily (and anything unknown)
}

int64_t period_end(std::string_view period, int64_t now_ms) {
  using namespace std::chrono;
  const int64_t start = period_start(period, now_ms);
  if (period == "hourly") return start + kHourMs;
  if (period == "weekly") return start + 7 * kDayMs;
  if (period == "monthly" || period == "yearly") {
    const year_month_day first{sys_days{days{floor_div(start, kDayMs)}}};
    const year_month_day next = period == "monthly" ? first + months{1} : first + years{1};
    return static_cast<int64_t>(sys_days{next}.time_since_epoch().count()) * kDayMs;
  }
  return start + kDayMs;
}

int64_t Window::rolling_length_ms() const {
  return (amount > 0 ? amount : 1) * unit_ms(unit);
}

int64_t Window::start(int64_t now_ms) const {
  return rolling ? now_ms - rolling_length_ms() : period_start(period, now_ms);
}

std::string Window::label() const {
  if (!rolling) return period;
  return "rolling " + std::to_string(amount) + " " + unit + (amount == 1 ? "" : "s");
}

std::string Window::instance_key(int64_t now_ms) const {
  if (rolling) return label() + "#" + std::to_string(floor_div(now_ms, rolling_length_ms()));
  using namespace std::chrono;
  const int64_t start_ms = period_start(period, now_ms);
  const year_month_day ymd{sys_days{days{floor_div(start_ms, kDayMs)}}};
  std::string key = period + "@" + std::to_string(static_cast<int>(ymd.year())) + "-" +
                    two(static_cast<unsigned>(ymd.month())) + "-" + two(static_cast<unsigned>(ymd.day()));
  if (period == "hourly") key += "T" + two(static_cast<unsigned>(floor_div(start_ms, kHourMs) % 24)) + "Z";
  return key;
}

std::optional<LimitSpec> parse_limit(const json::object& limit) {
  LimitSpec spec;
  spec.metric = std::string(text(limit, "metric"));
  if (spec.metric != "cost" && spec.metric != "calls" && spec.metric != "input_tokens" &&
      spec.metric != "output_tokens" && spec.metric != "total_tokens")
    return std::nullopt;
  auto value = number(limit, "value");
  if (!value) value = number(limit, "limit");
  if (!value) return std::nullopt;
  spec.value = *value;

  std::string_view type = text(limit, "windowType");
  const bool rolling = type == "rolling" || (type.empty() && !text(limit, "rollingUnit").empty());
  if (rolling) {
    spec.window.rolling = true;
    auto amount = number(limit, "rollingAmount");
    spec.window.amount = amount && *amount >= 1 ? static_cast<int64_t>(*amount) : 1;
    std::string_view unit = text(limit, "rollingUnit");
    spec.window.unit = unit.empty() ? "day" : std::string(unit);
  } else if (std::string_view period = text(limit, "period"); !period.empty()) {
    spec.window.period = legacy_period(period);
  } else {
    spec.window.period = legacy_period(text(limit, "window"));
  }
  return spec;
}

}  // namespace routerly::budget
