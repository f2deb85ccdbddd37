#include "config/limits.hpp"

#include <charconv>

#include "config/json_checks.hpp"

namespace routerly::config {

namespace {

using checks::invalid;
using checks::is_one_of;
using checks::join;
using checks::missing;

const std::initializer_list<std::string_view> kMetrics = {"cost", "calls", "input_tokens", "output_tokens",
                                                          "total_tokens"};
const std::initializer_list<std::string_view> kPeriods = {"hourly", "daily", "weekly", "monthly", "yearly"};
const std::initializer_list<std::string_view> kUnits = {"second", "minute", "hour", "day", "week", "month"};
const std::initializer_list<std::string_view> kLimitsModes = {"replace", "extend", "disable"};

struct Window {
  bool rolling = false;
  std::string period;  // when !rolling
  int64_t amount = 1;  // when rolling
  std::string unit;    // when rolling
};

std::string sub(std::string_view field, std::string_view member) {
  return std::string(field) + "." + std::string(member);
}

// SPEC §6.1 legacy names: the unit a calendar period is named after.
std::optional<std::string> legacy_period(std::string_view name) {
  if (name == "minute" || name == "hour") return "hourly";
  if (name == "day") return "daily";
  if (name == "week") return "weekly";
  if (name == "month") return "monthly";
  if (name == "year") return "yearly";
  return std::nullopt;
}

// The rolling unit matching a named window ("daily" or "day" → "day"); none for years.
std::optional<std::string> unit_of(std::string_view name) {
  if (is_one_of(name, kUnits)) return std::string(name);
  if (name == "hourly") return "hour";
  if (name == "daily") return "day";
  if (name == "weekly") return "week";
  if (name == "monthly") return "month";
  return std::nullopt;
}

std::optional<std::string> singular_unit(std::string_view word) {
  if (word.size() > 1 && word.back() == 's') word.remove_suffix(1);
  if (is_one_of(word, kUnits)) return std::string(word);
  return std::nullopt;
}

// "rolling 24 hours" / "rolling 1 hour" / "rolling_hour".
std::optional<Window> parse_rolling_text(std::string_view text) {
  if (text.starts_with("rolling_")) {
    auto unit = singular_unit(text.substr(8));
    if (!unit) return std::nullopt;
    return Window{true, {}, 1, *unit};
  }
  if (!text.starts_with("rolling ")) return std::nullopt;
  text.remove_prefix(8);
  auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view number = text.substr(0, space);
  int64_t amount = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), amount);
  if (ec != std::errc{} || end != number.data() + number.size() || amount < 1) return std::nullopt;
  auto unit = singular_unit(text.substr(space + 1));
  if (!unit) return std::nullopt;
  return Window{true, {}, amount, *unit};
}

Result<Window> friendly_window(const boost::json::object& obj, std::string_view field) {
  const std::string window_field = sub(field, "window");
  const boost::json::value& window = obj.at("window");

  bool want_rolling = false;
  if (const auto* mode = obj.if_contains("mode")) {
    const std::string mode_field = sub(field, "mode");
    if (!mode->is_string()) return invalid(mode_field, "be a string");
    std::string_view m = mode->as_string();
    if (m == "rolling" || m == "sliding") {
      want_rolling = true;
    } else if (!is_one_of(m, {"calendar", "fixed", "period", "hard", "block"})) {
      return invalid(mode_field, "be one of calendar, rolling");
    }
  }

  if (window.is_object()) {
    const auto& w = window.as_object();
    const auto* amount = w.if_contains("rolling");
    const auto* unit = w.if_contains("unit");
    auto n = amount ? checks::as_integer(*amount) : std::nullopt;
    if (!n || *n < 1) return invalid(window_field + ".rolling", "be an integer of at least 1");
    if (unit == nullptr || !unit->is_string() || !is_one_of(unit->as_string(), kUnits)) {
      return invalid(window_field + ".unit", "be one of " + join(kUnits));
    }
    return Window{true, {}, *n, std::string(unit->as_string())};
  }
  const std::string requirement = "be a period (" + join(kPeriods) +
                                  "), a unit (minute, hour, day, week, month, year), 'rolling <n> <unit>'" +
                                  " or {\"rolling\": n, \"unit\": \"<unit>\"}";
  if (!window.is_string()) return invalid(window_field, requirement);
  std::string_view name = window.as_string();

  if (auto rolling = parse_rolling_text(name)) return *rolling;
  const bool named = is_one_of(name, kPeriods) || legacy_period(name).has_value();
  if (!named) return invalid(window_field, requirement);
  if (want_rolling) {
    auto unit = unit_of(name);
    if (!unit) return invalid(window_field, "be at most a month long when rolling");
    return Window{true, {}, 1, *unit};
  }
  if (is_one_of(name, kPeriods)) return Window{false, std::string(name), 1, {}};
  return Window{false, *legacy_period(name), 1, {}};
}

Result<Window> canonical_window(const boost::json::object& obj, std::string_view field) {
  std::string type;
  if (const auto* wt = obj.if_contains("windowType")) {
    if (!wt->is_string() || !is_one_of(wt->as_string(), {"period", "rolling"})) {
      return invalid(sub(field, "windowType"), "be one of period, rolling");
    }
    type = wt->as_string();
  } else {
    type = obj.contains("rollingUnit") || obj.contains("rollingAmount") ? "rolling" : "period";
  }

  if (type == "period") {
    if (const auto* period = obj.if_contains("period")) {
      if (!period->is_string() || !is_one_of(period->as_string(), kPeriods)) {
        return invalid(sub(field, "period"), "be one of " + join(kPeriods));
      }
      return Window{false, std::string(period->as_string()), 1, {}};
    }
    if (const auto* window = obj.if_contains("window")) {  // SPEC §6.1 legacy form
      auto mapped = window->is_string() ? legacy_period(window->as_string()) : std::nullopt;
      if (window->is_string() && is_one_of(window->as_string(), kPeriods))
        mapped = std::string(window->as_string());
      if (!mapped) return invalid(sub(field, "window"), "be one of minute, hour, day, week, month, year");
      return Window{false, *mapped, 1, {}};
    }
    return missing(sub(field, "period"));
  }

  Window out{true, {}, 1, {}};
  if (const auto* amount = obj.if_contains("rollingAmount")) {
    auto n = checks::as_integer(*amount);
    if (!n || *n < 1) return invalid(sub(field, "rollingAmount"), "be an integer of at least 1");
    out.amount = *n;
  }
  const auto* unit = obj.if_contains("rollingUnit");
  if (unit == nullptr) return missing(sub(field, "rollingUnit"));
  if (!unit->is_string() || !is_one_of(unit->as_string(), kUnits)) {
    return invalid(sub(field, "rollingUnit"), "be one of " + join(kUnits));
  }
  out.unit = unit->as_string();
  return out;
}

}  // namespace

Result<boost::json::object> normalize_limit(const boost::json::value& v, std::string_view field) {
  if (!v.is_object()) return invalid(field, "be an object");
  const auto& obj = v.as_object();

  const auto* metric = obj.if_contains("metric");
  if (metric == nullptr) return missing(sub(field, "metric"));
  if (!metric->is_string() || !is_one_of(metric->as_string(), kMetrics)) {
    return invalid(sub(field, "metric"), "be one of " + join(kMetrics));
  }

  // "value" is the §6.1 name, "limit" the friendly one.
  const char* value_key = obj.contains("value") ? "value" : "limit";
  const auto* value = obj.if_contains(value_key);
  if (value == nullptr) return missing(sub(field, "value"));
  auto number = checks::as_number(*value);
  if (!number || *number < 0) return invalid(sub(field, value_key), "be a number of at least 0");

  const bool canonical = obj.contains("windowType") || obj.contains("period") ||
                         obj.contains("rollingUnit") || obj.contains("rollingAmount");
  Result<Window> window = canonical                ? canonical_window(obj, field)
                          : obj.contains("window") ? friendly_window(obj, field)
                                                   : missing(sub(field, "windowType"));
  if (!window) return std::unexpected(window.error());

  boost::json::object out;
  out["metric"] = metric->as_string();
  if (window->rolling) {
    out["windowType"] = "rolling";
    out["rollingAmount"] = window->amount;
    out["rollingUnit"] = window->unit;
  } else {
    out["windowType"] = "period";
    out["period"] = window->period;
  }
  out["value"] = *value;
  return out;
}

Result<boost::json::array> normalize_limits(const boost::json::value& v, std::string_view field) {
  if (!v.is_array()) return invalid(field, "be an array of limits");
  boost::json::array out;
  std::size_t index = 0;
  for (const auto& element : v.as_array()) {
    auto limit = normalize_limit(element, std::string(field) + "[" + std::to_string(index++) + "]");
    if (!limit) return std::unexpected(limit.error());
    out.emplace_back(std::move(*limit));
  }
  return out;
}

Result<std::string> normalize_limits_mode(const boost::json::value& v, std::string_view field) {
  if (!v.is_string() || !is_one_of(v.as_string(), kLimitsModes)) {
    return invalid(field, "be one of " + join(kLimitsModes));
  }
  return std::string(v.as_string());
}

}  // namespace routerly::config
