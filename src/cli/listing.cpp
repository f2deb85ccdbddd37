#include "cli/listing.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

Column field_column(std::string header, std::string key) {
  return Column{std::move(header), [key](const json::value& v) { return field_text(v, key); }};
}

int run_listing(const CommandContext& ctx, const std::string& path, const std::vector<Column>& columns) {
  Api api(ctx.global);
  auto reply = api.call("GET", path);
  if (!reply) return report_error(reply.error());
  if (ctx.global.json) {
    print_json(*reply);
    return 0;
  }
  std::vector<std::string> headers;
  for (const Column& c : columns) headers.push_back(c.header);
  std::vector<std::vector<std::string>> rows;
  if (reply->is_array()) {
    for (const json::value& item : reply->as_array()) {
      std::vector<std::string> row;
      for (const Column& c : columns) row.push_back(c.cell(item));
      rows.push_back(std::move(row));
    }
  }
  std::cout << format_table(headers, rows);
  return 0;
}

int run_change(const CommandContext& ctx, std::string_view method, const std::string& path,
               const json::value* body, const std::function<std::string(const json::value&)>& summary) {
  Api api(ctx.global);
  auto reply = api.call(method, path, body);
  if (!reply) return report_error(reply.error());
  if (ctx.global.json) {
    print_json(*reply);
  } else {
    std::cout << summary(*reply) << '\n';
  }
  return 0;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    const auto b = current.find_first_not_of(" \t");
    const auto e = current.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(current.substr(b, e - b + 1));
    current.clear();
  };
  for (char c : text) {
    if (c == ',') {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return out;
}

}  // namespace routerly::cli
