// The words of a budget refusal: which level, metric, window and limit blocked the call.
#include <cstdio>
#include <string>

#include "budget/ledger.hpp"

namespace routerly::budget {

namespace {

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string unit_of(std::string_view metric) {
  if (metric == "cost") return "USD";
  if (metric == "calls") return "calls";
  if (metric == "input_tokens") return "input tokens";
  if (metric == "output_tokens") return "output tokens";
  return "tokens";
}

std::string subject(const LimitState& s) {
  if (s.level == "global") return "global";
  if (s.level == "project-model" || s.level == "token-model") {
    const auto slash = s.name.find('/');
    const std::string owner = s.level == "project-model" ? "project" : "token";
    return owner + " '" + s.name.substr(0, slash) + "' model '" + s.name.substr(slash + 1) + "'";
  }
  return s.level + " '" + s.name + "'";
}

}  // namespace

std::string Verdict::message() const {
  if (!failure.empty()) return failure;
  if (violated.empty()) return {};
  const LimitState& s = violated.front();
  return "budget exceeded: " + subject(s) + " " + s.metric + " limit " + format_number(s.limit) + " " +
         unit_of(s.metric) + " per " + s.window + " window (current " + format_number(s.current) + ")";
}

}  // namespace routerly::budget
