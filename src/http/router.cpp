#include "http/router.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace routerly::http {

namespace {

// Splits "/a/b/" into {"a","b"}: one trailing slash is tolerated, "/" has no segments.
// Interior empty segments ("/a//b") are kept so they never match a literal or capture.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// Whether `segments` fits the route's pattern; captures must be non-empty.
bool fits(const std::vector<std::string>& pattern, const std::vector<std::string_view>& segments) {
  if (pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (is_capture(pattern[i])) {
      if (segments[i].empty()) return false;
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// True when pattern `a` is more specific than `b` (same length, both fitting): the first
// position where one is literal and the other a capture decides for the literal.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool ca = is_capture(a[i]);
    bool cb = is_capture(b[i]);
    if (ca != cb) return !ca;
  }
  return false;
}

constexpr std::string_view kAnyMethod = "*";

// Allow-header order: the common methods first in a fixed order, others alphabetically after.
constexpr std::array<std::string_view, 7> kMethodOrder = {"GET",   "HEAD",   "POST",   "PUT",
                                                          "PATCH", "DELETE", "OPTIONS"};

size_t method_rank(std::string_view method) {
  auto it = std::find(kMethodOrder.begin(), kMethodOrder.end(), method);
  return static_cast<size_t>(it - kMethodOrder.begin());
}

std::string join_methods(std::vector<std::string> methods) {
  std::sort(methods.begin(), methods.end(), [](const std::string& a, const std::string& b) {
    size_t ra = method_rank(a), rb = method_rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  std::string out;
  for (const auto& m : methods) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

}  // namespace

Router::Route Router::make_route(std::string method, const std::string& pattern) const {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  Route route;
  route.method = upper(std::move(method));
  for (auto segment : split_path(pattern)) {
    bool has_brace = segment.find_first_of("{}") != std::string_view::npos;
    if (has_brace && !is_capture(segment))
      throw std::invalid_argument("malformed capture in route pattern: " + pattern);
    route.segments.emplace_back(segment);
  }
  return route;
}

AsyncHandler as_async(BlockingHandler handler) {
  if (!handler) throw std::invalid_argument("as_async without handler");
  return [handler = std::move(handler)](Exchange& exchange) -> boost::asio::awaitable<void> {
    Response response = co_await exchange.run_blocking([&] { return handler(exchange.request()); });
    co_await exchange.respond(std::move(response));
  };
}

void Router::add(std::string method, std::string pattern, BlockingHandler handler) {
  if (!handler) throw std::invalid_argument("route without handler: " + pattern);
  Route route = make_route(std::move(method), pattern);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler) {
  if (!handler) throw std::invalid_argument("route without handler: " + pattern);
  Route route = make_route(std::move(method), pattern);
  route.async_handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Match Router::match(std::string_view method, std::string_view path) const {
  const auto segments = split_path(path);
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // a GET route serving a HEAD request
  const Route* best_any = nullptr;  // a route for every method
  std::vector<std::string> allowed;
  auto prefer = [](const Route*& slot, const Route& route) {
    if (!slot || more_specific(route.segments, slot->segments)) slot = &route;
  };

  for (const auto& route : routes_) {
    if (!fits(route.segments, segments)) continue;
    if (route.method == kAnyMethod) {
      prefer(best_any, route);
      continue;
    }
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.emplace_back("HEAD");
    if (route.method == method)
      prefer(best, route);
    else if (method == "HEAD" && route.method == "GET")
      prefer(best_get, route);
  }
  if (!best) best = best_get;
  if (!best) best = best_any;

  Match m;
  if (best) {
    m.status = MatchStatus::matched;
    if (best->async_handler) {
      m.kind = HandlerKind::async;
      m.async_handler = &best->async_handler;
    } else {
      m.handler = &best->handler;
    }
    for (size_t i = 0; i < best->segments.size(); ++i) {
      const auto& seg = best->segments[i];
      if (is_capture(seg)) m.params.emplace_back(seg.substr(1, seg.size() - 2), percent_decode(segments[i]));
    }
  } else if (!allowed.empty()) {
    m.status = MatchStatus::method_not_allowed;
    m.allowed_methods = join_methods(std::move(allowed));
  }
  return m;
}

}  // namespace routerly::http
