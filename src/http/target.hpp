#pragma once
// The request target as routing sees it. Only origin-form targets ("/path?query") are served,
// plus "*" for OPTIONS; the path gets one canonical spelling so that every way of writing a
// route reaches that route. Pure: no I/O, no Beast.
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::http {

struct RequestTarget {
  // Canonical path: starts with '/', no empty, "." or ".." segments (one trailing '/' is kept
  // when the target had one); "*" for `OPTIONS *`. Still percent-encoded, see below.
  std::string path;
  // The query without its '?', every byte a query character or a %XX escape.
  std::string query;
};

// Parses a raw request target. Refused (validation_error): absolute-form ("http://h/p"),
// authority-form ("h:443"), anything else not starting with '/', "*" with another method than
// OPTIONS, a malformed %-escape, and a ".." that climbs above the root.
//
// The path is normalised once:
// - empty segments collapse ("//" → "/"), "." segments go, ".." removes the segment before it;
// - escapes of unreserved characters are decoded ("%2e" → ".", "%63" → "c") before the dot
//   segments are resolved, so "/v1/%2e%2e/x" is "/x";
// - other escapes stay escaped with upper-case hex ("%2f" → "%2F"): an escaped '/' is data
//   inside one segment, never a separator;
// - bytes that may not appear raw (e.g. '\', '|', '"', non-ASCII) are escaped.
// The query keeps its escapes; bytes that may not appear raw in a query are escaped.
Result<RequestTarget> parse_request_target(std::string_view method, std::string_view raw);

}  // namespace routerly::http
