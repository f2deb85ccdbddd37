#pragma once
// Method + path-pattern routing. Pure: no I/O, no Beast (only Asio's awaitable type, via
// exchange.hpp, for the asynchronous handler kind).
// Patterns are literal segments and `{name}` captures, e.g. "/api/projects/{id}/tokens/{tokenId}".
// The method "*" matches any method; a route registered for the request's own method (or GET
// for HEAD) wins over it.
// Matching splits the raw path on '/' first and percent-decodes captures afterwards, so an
// id containing an encoded slash ("openai%2Fgpt-4o") is one segment.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/exchange.hpp"
#include "http/message.hpp"

namespace routerly::http {

// A handler that may block (store access, password hashing). The server runs it on the
// blocking thread pool, never on an I/O thread.
using BlockingHandler = std::function<Response(Request&)>;

// Adapts a blocking handler to the async kind: runs it via Exchange::run_blocking and
// responds with its result.
AsyncHandler as_async(BlockingHandler handler);

enum class MatchStatus { matched, not_found, method_not_allowed };
enum class HandlerKind { blocking, async };

struct Match {
  MatchStatus status = MatchStatus::not_found;
  HandlerKind kind = HandlerKind::blocking;     // which of the two below is set
  const BlockingHandler* handler = nullptr;     // matched a blocking route
  const AsyncHandler* async_handler = nullptr;  // matched an async route
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed_methods;  // "GET, POST" when method_not_allowed
};

// Called on every answer the server makes itself instead of a handler (a refused or malformed
// request, 404, 405, 413, 431, a handler that failed), so the application can add headers.
// Runs on an I/O thread: must be cheap, never block.
using ServerAnswerHook = std::function<void(const Request& request, Response& response)>;

class Router {
 public:
  void add(std::string method, std::string pattern, BlockingHandler handler);
  // A handler that answers on the connection's strand through an Exchange (streaming,
  // upstream calls). It must not block; blocking work goes through Exchange::run_blocking.
  void add_async(std::string method, std::string pattern, AsyncHandler handler);
  Match match(std::string_view method, std::string_view path) const;

  // Sets the hook for the server's own answers (one; a later call replaces it).
  void on_server_answer(ServerAnswerHook hook) { server_answer_hook_ = std::move(hook); }
  void decorate_server_answer(const Request& request, Response& response) const {
    if (server_answer_hook_) server_answer_hook_(request, response);
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" marks a capture
    BlockingHandler handler;            // exactly one of these two is set
    AsyncHandler async_handler;
  };
  Route make_route(std::string method, const std::string& pattern) const;
  std::vector<Route> routes_;
  ServerAnswerHook server_answer_hook_;
};

}  // namespace routerly::http
