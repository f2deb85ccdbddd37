#include "http/target.hpp"

#include <vector>

namespace routerly::http {

namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool is_sub_delim(unsigned char c) {
  return std::string_view("!$&'()*+,;=").find(static_cast<char>(c)) != std::string_view::npos;
}

// A character allowed raw inside a path segment (RFC 3986 pchar minus the escapes).
bool is_segment_char(unsigned char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@';
}

bool is_query_char(unsigned char c) {
  return is_segment_char(c) || c == '/' || c == '?';
}

void append_escape(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// Reads the escape starting at `text[i]` ('%'); -1 when it is not followed by two hex digits.
int escaped_byte(std::string_view text, std::size_t i) {
  if (i + 2 >= text.size()) return -1;
  int hi = hex_value(text[i + 1]);
  int lo = hex_value(text[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

Error malformed_escape() {
  return Error{ErrorCode::validation_error, "request target has a malformed %-escape"};
}

// One segment in canonical spelling (see the header).
Result<std::string> canonical_segment(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '%') {
      int byte = escaped_byte(raw, i);
      if (byte < 0) return std::unexpected(malformed_escape());
      if (is_unreserved(static_cast<unsigned char>(byte)))
        out += static_cast<char>(byte);
      else
        append_escape(out, static_cast<unsigned char>(byte));
      i += 2;
    } else if (is_segment_char(c)) {
      out += static_cast<char>(c);
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

Result<std::string> normalize_path(std::string_view raw) {
  std::vector<std::string> segments;
  bool trailing_slash = false;
  raw.remove_prefix(1);  // the leading '/'
  while (true) {
    std::size_t slash = raw.find('/');
    bool last = slash == std::string_view::npos;
    auto segment = canonical_segment(raw.substr(0, slash));
    if (!segment) return std::unexpected(segment.error());
    const bool dot = *segment == ".", dot_dot = *segment == "..";
    // "/a/", "/a/." and "/a/b/.." name a directory: the trailing slash stays.
    if (last) trailing_slash = segment->empty() || dot || dot_dot;
    if (dot_dot) {
      if (segments.empty())
        return fail(ErrorCode::validation_error, "request path climbs above the root with '..'");
      segments.pop_back();
    } else if (!segment->empty() && !dot) {
      segments.push_back(std::move(*segment));
    }
    if (last) break;
    raw.remove_prefix(slash + 1);
  }
  std::string out;
  for (const std::string& s : segments) {
    out += '/';
    out += s;
  }
  if (out.empty() || trailing_slash) out += '/';
  return out;
}

Result<std::string> canonical_query(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '%') {
      if (escaped_byte(raw, i) < 0) return std::unexpected(malformed_escape());
      out.append(raw.substr(i, 3));
      i += 2;
    } else if (is_query_char(c)) {
      out += static_cast<char>(c);
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

}  // namespace

Result<RequestTarget> parse_request_target(std::string_view method, std::string_view raw) {
  if (raw == "*") {
    if (method != "OPTIONS")
      return fail(ErrorCode::validation_error, "request target '*' is only allowed with OPTIONS");
    return RequestTarget{"*", ""};
  }
  if (raw.empty() || raw.front() != '/')
    return fail(ErrorCode::validation_error,
                "request target must be a path starting with '/' (absolute-form and authority-form "
                "targets are not accepted)");
  std::size_t q = raw.find('?');
  auto path = normalize_path(raw.substr(0, q));
  if (!path) return std::unexpected(path.error());
  RequestTarget target{std::move(*path), ""};
  if (q != std::string_view::npos) {
    auto query = canonical_query(raw.substr(q + 1));
    if (!query) return std::unexpected(query.error());
    target.query = std::move(*query);
  }
  return target;
}

}  // namespace routerly::http
