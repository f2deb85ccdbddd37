#pragma once
// Shared shapes of the resource commands: run a call and print its reply as a table or JSON.
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace routerly::cli {

struct Column {
  std::string header;
  std::function<std::string(const boost::json::value&)> cell;
};

Column field_column(std::string header, std::string key);

// GET `path` and print the array it returns.
int run_listing(const CommandContext& ctx, const std::string& path, const std::vector<Column>& columns);

// Sends the request; with --json prints the reply, else `summary(reply)` on a line.
int run_change(const CommandContext& ctx, std::string_view method, const std::string& path,
               const boost::json::value* body,
               const std::function<std::string(const boost::json::value&)>& summary);

// Splits "a,b , c" into trimmed non-empty parts.
std::vector<std::string> split_list(const std::string& text);

}  // namespace routerly::cli
