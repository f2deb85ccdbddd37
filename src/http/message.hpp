#pragma once
// Protocol types the rest of the program sees. No Beast here: Beast stays inside
// src/http/*.cpp so that only this module pays its compile time.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace routerly::http {

struct Header {
  std::string name;  // lower-case
  std::string value;
};

struct Request {
  std::string method;  // upper-case, e.g. "GET"
  std::string target;  // raw request target, e.g. "/api/models?x=1"
  std::string path;    // target without the query string, not percent-decoded
  std::string query;   // without the leading '?'
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;
  // Path parameters captured by the router, percent-decoded.
  std::vector<std::pair<std::string, std::string>> params;

  // First header with that (lower-case) name, or empty.
  std::string_view header(std::string_view lower_name) const;
  bool has_header(std::string_view lower_name) const;
  // Path parameter by name, or empty.
  std::string_view param(std::string_view name) const;
  // Percent-decoded query parameter (first occurrence), or nullopt.
  std::optional<std::string> query_param(std::string_view name) const;
  // Bearer credential from `Authorization: Bearer <x>`, or empty.
  std::string_view bearer_token() const;
};

struct Response {
  unsigned status = 200;
  std::vector<Header> headers;
  std::string body;

  Response& set_header(std::string name, std::string value);
  std::string_view header(std::string_view lower_name) const;

  static Response json(unsigned status, const boost::json::value& body);
  static Response error(const Error& error);
  static Response error(ErrorCode code, std::string message);
  static Response no_content();
  static Response redirect(std::string location);
  static Response text(unsigned status, std::string body, std::string content_type);
};

// Percent-decodes a path segment or query component ('+' is kept as-is in paths).
std::string percent_decode(std::string_view in, bool plus_as_space = false);

}  // namespace routerly::http
