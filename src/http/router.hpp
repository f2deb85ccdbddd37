#pragma once
// Method + path-pattern routing. Pure: no I/O, no Beast.
// Patterns are literal segments and `{name}` captures, e.g. "/api/projects/{id}/tokens/{tokenId}".
// Matching splits the raw path on '/' first and percent-decodes captures afterwards, so an
// id containing an encoded slash ("openai%2Fgpt-4o") is one segment.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace routerly::http {

// A handler that may block (store access, password hashing). The server runs it on the
// blocking thread pool, never on an I/O thread.
using BlockingHandler = std::function<Response(Request&)>;

enum class MatchStatus { matched, not_found, method_not_allowed };

struct Match {
  MatchStatus status = MatchStatus::not_found;
  const BlockingHandler* handler = nullptr;  // set when matched
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed_methods;  // "GET, POST" when method_not_allowed
};

class Router {
 public:
  void add(std::string method, std::string pattern, BlockingHandler handler);
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" marks a capture
    BlockingHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace routerly::http
