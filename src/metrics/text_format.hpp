#pragma once
// Pieces of the Prometheus text exposition format 0.0.4. Pure.
#include <string>
#include <string_view>

namespace routerly::metrics {

// Label value escaping: backslash, double quote and line feed.
void append_label_value(std::string& out, std::string_view value);
// HELP text escaping: backslash and line feed.
void append_help(std::string& out, std::string_view help);
// Shortest round-trip decimal; "+Inf", "-Inf", "NaN" for the special values.
void append_number(std::string& out, double value);

}  // namespace routerly::metrics
