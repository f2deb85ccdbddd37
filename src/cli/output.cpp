#include "cli/output.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <iostream>

namespace routerly::cli {
namespace json = boost::json;

std::string format_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(headers.size(), 0);
  for (std::size_t i = 0; i < headers.size(); ++i) widths[i] = headers[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells, bool upper) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      if (upper) std::ranges::transform(cell, cell.begin(), [](unsigned char c) { return std::toupper(c); });
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - cell.size() + 2, ' ');
    }
    // An empty last cell would otherwise leave the padding of the cells before it.
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit(headers, true);
  for (const auto& row : rows) emit(row, false);
  return out;
}

void print_json(const json::value& value) {
  std::cout << json::serialize(value) << '\n';
}

int report_error(const Error& error) {
  std::cerr << "error: " << error.message << '\n';
  return 1;
}

std::string field_text(const json::value& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto* v = object.as_object().if_contains(key);
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_bool()) return v->as_bool() ? "yes" : "no";
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_double()) {
    // Shortest round-trip form ("0.0123", not JSON's "1.23E-2").
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v->as_double());
    return ec == std::errc() ? std::string(buf, end) : json::serialize(*v);
  }
  return json::serialize(*v);
}

}  // namespace routerly::cli
