#pragma once
// Read-modify-write of one project for the commands that edit parts of it (routing, policies,
// candidate pool): GET /api/projects/{p}, change a field locally, PUT only that field back.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "cli/commands.hpp"

namespace routerly::cli {

// /api/projects/<p> with <p> (slug or id) percent-encoded.
std::string project_path(const std::string& project);

// The project as the server shows it; a 404 carries the server's message.
Result<boost::json::object> fetch_project(Api& api, const std::string& project);

// The array under `key` (empty when missing or not an array).
boost::json::array array_field(const boost::json::object& object, std::string_view key);

// PUTs `patch` to the project; with --json prints the updated project, else `summary(project)`.
int put_project(const CommandContext& ctx, Api& api, const std::string& project, boost::json::object patch,
                const std::function<std::string(const boost::json::object&)>& summary);

// GET the project, print its array `key` (--json) or `table(array)`.
int show_project_array(const CommandContext& ctx, const std::string& project, std::string_view key,
                       const std::function<std::string(const boost::json::array&)>& table);

// GET the project, apply `edit` to its array `key`, PUT only that field back (see put_project).
int edit_project_array(const CommandContext& ctx, const std::string& project, std::string_view key,
                       const std::function<Result<boost::json::array>(boost::json::array)>& edit,
                       const std::function<std::string(const boost::json::object&)>& summary);

}  // namespace routerly::cli
