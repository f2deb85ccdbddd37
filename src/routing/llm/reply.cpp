#include "routing/llm/reply.hpp"

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <regex>
#include <string>

namespace routerly::routing::llm {

namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::vector<PolicyPoint>> from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::value* routing = doc.get_object().if_contains("routing");
  if (routing == nullptr || !routing->is_array()) return std::nullopt;
  std::vector<PolicyPoint> points;
  for (const auto& item : routing->get_array()) {
    if (!item.is_object()) continue;
    const json::object& entry = item.get_object();
    const json::value* model = entry.if_contains("model");
    if (model == nullptr || !model->is_string()) continue;
    PolicyPoint p;
    p.model = std::string(model->as_string());
    const json::value* point = entry.if_contains("point");
    p.point = point != nullptr && point->is_number() ? point->to_number<double>() : 0.0;
    if (const json::value* reason = entry.if_contains("reason"); reason != nullptr && reason->is_string())
      p.reason = std::string(reason->as_string());
    points.push_back(std::move(p));
  }
  if (points.empty()) return std::nullopt;
  return points;
}

// A JSON string literal's content (without quotes) decoded.
std::string unescape(const std::string& raw) {
  boost::system::error_code ec;
  json::value v = json::parse("\"" + raw + "\"", ec);
  if (ec || !v.is_string()) return raw;
  return std::string(v.as_string());
}

std::optional<std::vector<PolicyPoint>> recover(std::string_view text) {
  static const std::regex kEntry(
      R"re(\{\s*"model"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"point"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(?:,\s*"reason"\s*:\s*"((?:[^"\\]|\\.)*)"\s*)?\})re");
  std::vector<PolicyPoint> points;
  std::string haystack(text);
  for (std::sregex_iterator it(haystack.begin(), haystack.end(), kEntry), end; it != end; ++it) {
    const std::smatch& m = *it;
    PolicyPoint p;
    p.model = unescape(m[1].str());
    p.point = std::strtod(m[2].str().c_str(), nullptr);
    if (m[3].matched) p.reason = unescape(m[3].str());
    points.push_back(std::move(p));
  }
  if (points.empty()) return std::nullopt;
  return points;
}

}  // namespace

std::string_view strip_fences(std::string_view text) {
  text = trim(text);
  if (text.starts_with("```")) {
    std::size_t line_end = text.find('\n');
    text = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
  }
  text = trim(text);
  if (text.ends_with("```")) text.remove_suffix(3);
  return trim(text);
}

std::optional<std::vector<PolicyPoint>> parse_routing_reply(std::string_view text) {
  std::string_view body = strip_fences(text);
  if (auto points = from_json(body)) return points;
  return recover(body);
}

}  // namespace routerly::routing::llm
