#include "cli/limit_spec.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <vector>

namespace routerly::cli {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 5> kMetrics{"cost", "calls", "input_tokens", "output_tokens",
                                                   "total_tokens"};
constexpr std::array<std::string_view, 5> kPeriods{"hourly", "daily", "weekly", "monthly", "yearly"};
constexpr std::array<std::string_view, 6> kUnits{"second", "minute", "hour", "day", "week", "month"};

std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  while (true) {
    const auto pos = text.find(':', start);
    parts.push_back(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

std::string join_prefix(const std::vector<std::string>& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ':';
    out += parts[i];
  }
  return out;
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, const std::string& v) {
  return std::ranges::find(set, v) != set.end();
}

std::unexpected<Error> invalid(const std::string& spec, const std::string& why) {
  return fail(ErrorCode::validation_error, "invalid limit spec '" + spec + "': " + why);
}

bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

}  // namespace

Result<LimitSpec> parse_limit_spec(const std::string& spec) {
  const auto parts = split_colons(spec);
  const std::size_t n = parts.size();
  LimitSpec out;
  json::object limit;
  std::size_t model_parts = 0;
  std::string metric;
  std::string value_text;
  if (n >= 5 && parts[n - 3] == "period") {
    model_parts = n - 4;
    metric = parts[n - 4];
    if (!one_of(kPeriods, parts[n - 2]))
      return invalid(spec, "period must be hourly, daily, weekly, monthly or yearly");
    limit["windowType"] = "period";
    limit["period"] = parts[n - 2];
    value_text = parts[n - 1];
  } else if (n >= 6 && parts[n - 4] == "rolling") {
    model_parts = n - 5;
    metric = parts[n - 5];
    double amount = 0;
    if (!parse_number(parts[n - 3], amount) || amount < 1 ||
        amount != static_cast<double>(static_cast<long>(amount))) {
      return invalid(spec, "the rolling amount must be a positive integer");
    }
    if (!one_of(kUnits, parts[n - 2]))
      return invalid(spec, "unit must be second, minute, hour, day, week or month");
    limit["windowType"] = "rolling";
    limit["rollingAmount"] = static_cast<std::int64_t>(amount);
    limit["rollingUnit"] = parts[n - 2];
    value_text = parts[n - 1];
  } else {
    return invalid(spec,
                   "expected <model>:<metric>:period:<period>:<value> or "
                   "<model>:<metric>:rolling:<n>:<unit>:<value>");
  }
  out.model_id = join_prefix(parts, model_parts);
  if (out.model_id.empty()) return invalid(spec, "the model id is missing");
  if (!one_of(kMetrics, metric)) {
    return invalid(spec, "metric must be cost, calls, input_tokens, output_tokens or total_tokens");
  }
  double value = 0;
  if (!parse_number(value_text, value)) return invalid(spec, "the value must be a non-negative number");
  limit["metric"] = metric;
  limit["value"] = value;
  out.limit = std::move(limit);
  return out;
}

Result<LimitRemoval> parse_limit_removal(const std::string& spec) {
  const auto parts = split_colons(spec);
  const std::size_t n = parts.size();
  if (n < 3 || (parts[n - 1] != "period" && parts[n - 1] != "rolling")) {
    return invalid(spec, "expected <model>:<metric>:<period|rolling>");
  }
  LimitRemoval out{join_prefix(parts, n - 2), parts[n - 2], parts[n - 1]};
  if (out.model_id.empty()) return invalid(spec, "the model id is missing");
  if (!one_of(kMetrics, out.metric)) {
    return invalid(spec, "metric must be cost, calls, input_tokens, output_tokens or total_tokens");
  }
  return out;
}

}  // namespace routerly::cli
