#pragma once
// Printing helpers: aligned tables for people, JSON for machines, errors on stderr.
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace routerly::cli {

// Columns padded to their widest cell; the header line is upper-case.
std::string format_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows);

void print_json(const boost::json::value& value);

// Prints "error: <message>" on stderr; returns the exit code 1.
int report_error(const Error& error);

// A field of an object rendered as text ("" when missing; numbers and bools printed plainly).
std::string field_text(const boost::json::value& object, std::string_view key);

}  // namespace routerly::cli
