#include "http/connection.hpp"

#include <array>
#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "http/cors.hpp"
#include "http/guarded_call.hpp"
#include "http/target.hpp"

namespace routerly::http::detail {

namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerMaxBytes = 1u << 20;

char lower_char(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_char(a[i]) != lower_b[i]) return false;
  return true;
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The request as handlers see it. A target that is refused leaves `path` as sent (before any
// '?'), for the log line and the server-answer hook only, and the reason in `refused`.
Request to_request(bhttp::request<bhttp::string_body>&& msg, const std::string& remote,
                   std::optional<Error>& refused) {
  Request r;
  r.method = std::string(msg.method_string());
  for (char& c : r.method)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  r.target = std::string(msg.target());
  if (auto target = parse_request_target(r.method, r.target)) {
    r.path = std::move(target->path);
    r.query = std::move(target->query);
  } else {
    refused = std::move(target.error());
    r.path = r.target.substr(0, r.target.find('?'));
  }
  r.headers.reserve(std::distance(msg.begin(), msg.end()));
  for (const auto& field : msg) r.headers.push_back({lower(field.name_string()), std::string(field.value())});
  r.body = std::move(msg.body());
  r.remote_address = remote;
  return r;
}

// The header part of a request that failed later (413 with a complete header): enough for
// CORS and the log line, no body.
Request header_only(const bhttp::request<bhttp::string_body>& msg, const std::string& remote) {
  bhttp::request<bhttp::string_body> copy(msg.base());
  std::optional<Error> refused;  // the read error is the answer either way
  return to_request(std::move(copy), remote, refused);
}

// Whether a read error is the peer going away or our own timeout/close (no answer owed).
bool is_disconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::bad_descriptor;
}

// The error answer owed for a read failure that is not a disconnect.
Response read_error_response(const beast::error_code& ec, const ServerOptions& options) {
  if (ec == bhttp::error::body_limit)
    return Response::error(ErrorCode::payload_too_large,
                           "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes");
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
    return Response::error(ErrorCode::headers_too_large,
                           "request headers exceed " + std::to_string(options.max_header_bytes) + " bytes");
  return Response::error(ErrorCode::validation_error, "malformed HTTP request: " + ec.message());
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_char(c);
  return out;
}

bool header_is_valid(const Header& h) {
  if (h.name.empty()) return false;
  for (char c : h.name)
    if (!is_token_char(c)) return false;
  for (char c : h.value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bool is_framing_header(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection");
}

void log_request(const ServerOptions& options, std::string_view method, std::string_view path, unsigned status,
                 Clock::time_point start, std::string_view remote) {
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (options.on_request) options.on_request(method, path, status, ms / 1000.0);
  spdlog::info("http {} {} {} {:.1f}ms {}", method.empty() ? "-" : method, path.empty() ? "-" : path, status,
               ms, remote);
}

Connection::Connection(tcp::socket socket, ServerShared& shared)
    : stream_(std::move(socket)), shared_(shared) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  remote_address_ = ec ? std::string("-") : endpoint.address().to_string();
  // Streamed chunks must leave at once, not wait for the previous one's ACK (Nagle).
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  try {
    co_await serve();
  } catch (const std::exception& e) {
    spdlog::error("http connection from {} failed: {}", remote_address_, e.what());
  }
  close();
  bool now_empty = false;
  {
    std::lock_guard lock(shared_.connections_mutex);
    shared_.connections.erase(this);
    now_empty = shared_.connections.empty();
  }
  if (now_empty && shared_.on_connection_closed) shared_.on_connection_closed();
}

void Connection::close_if_idle() {
  if (!busy_) close();
}

void Connection::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
}

asio::awaitable<void> Connection::serve() {
  const ServerOptions& options = shared_.options;
  while (!shared_.draining) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
    // The body limit is a live setting: it is read once this request's header has arrived (a
    // keep-alive connection waits here across setting changes), so the header is parsed unbounded.
    parser.body_limit(boost::none);

    busy_ = false;
    stream_.expires_after(options.idle_timeout);
    auto [ec, read] = co_await bhttp::async_read_header(stream_, buffer_, parser, kTuple);
    busy_ = true;
    Clock::time_point start = Clock::now();

    if (!ec && !parser.is_done()) {
      const std::size_t body_limit = options.max_body_bytes.get();
      const auto declared = parser.content_length();
      if (declared && *declared > body_limit)
        ec = bhttp::error::body_limit;
      else
        parser.body_limit(body_limit);
    }
    if (!ec && !parser.is_done()) {
      if (iequals(parser.get()[bhttp::field::expect], "100-continue")) co_await write_continue();
      stream_.expires_after(options.idle_timeout);
      std::tie(ec, read) = co_await bhttp::async_read(stream_, buffer_, parser, kTuple);
    }

    if (ec) {
      if (is_disconnect(ec)) co_return;
      Response response = read_error_response(ec, options);
      Request partial;
      // body_limit is detected once all fields are parsed (before is_header_done() flips).
      if (parser.is_header_done() || ec == bhttp::error::body_limit) {
        partial = header_only(parser.get(), remote_address_);
        apply_cors(partial, response, shared_.origin_allowed);
      }
      shared_.router->decorate_server_answer(partial, response);
      unsigned status = response.status;
      co_await write_response(std::move(response), 11, false, false);
      log_request(shared_.options, partial.method, partial.path, status, start, remote_address_);
      co_await linger_close();
      co_return;
    }

    unsigned version = parser.get().version();
    bool keep_alive = parser.get().keep_alive();
    std::optional<Error> refused;
    Request request = to_request(parser.release(), remote_address_, refused);
    Match match;
    if (request.method != "OPTIONS" && !refused) match = shared_.router->match(request.method, request.path);
    if (const AsyncHandler* async = refused ? nullptr : async_handler_for(request, match)) {
      request.params = std::move(match.params);
      if (!co_await serve_async(*async, request, version, keep_alive, start)) co_return;
      continue;
    }
    Response response;
    if (refused)
      response = refusal(request, std::move(*refused));
    else
      response = co_await respond(request, match);

    keep_alive = keep_alive && !shared_.draining;
    unsigned status = response.status;
    bool written =
        co_await write_response(std::move(response), version, request.method == "HEAD", keep_alive);
    log_request(shared_.options, request.method, request.path, status, start, remote_address_);
    if (!written || !keep_alive) co_return;
  }
}

const AsyncHandler* Connection::async_handler_for(const Request& request, const Match& match) const {
  if (match.status == MatchStatus::matched && match.kind == HandlerKind::async) return match.async_handler;
  if (request.method != "OPTIONS" && match.status == MatchStatus::not_found && shared_.fallback)
    return &shared_.fallback;
  return nullptr;
}

Response Connection::refusal(const Request& request, Error error) {
  Response response = Response::error(std::move(error));
  apply_cors(request, response, shared_.origin_allowed);
  shared_.router->decorate_server_answer(request, response);
  return response;
}

asio::awaitable<Response> Connection::respond(Request& request, Match& match) {
  Response response;
  if (request.method == "OPTIONS") {
    response = preflight_response(request, shared_.origin_allowed);
  } else {
    switch (match.status) {
      case MatchStatus::matched:
        request.params = std::move(match.params);
        response = co_await run_blocking(*match.handler, request);
        break;
      case MatchStatus::not_found:  // only without a fallback
        response = Response::error(ErrorCode::not_found,
                                   "route " + request.method + " " + request.path + " not found");
        break;
      case MatchStatus::method_not_allowed:
        response = Response::error(ErrorCode::method_not_allowed,
                                   "method " + request.method + " is not allowed on " + request.path);
        response.set_header("allow", match.allowed_methods);
        break;
    }
    if (match.status != MatchStatus::matched) shared_.router->decorate_server_answer(request, response);
  }
  apply_cors(request, response, shared_.origin_allowed);
  co_return response;
}

// Runs the handler on the blocking pool; co_spawn's completion brings this coroutine back
// to the connection's strand.
asio::awaitable<Response> Connection::run_blocking(const std::function<Response(Request&)>& handler,
                                                   Request& request) {
  co_return co_await asio::co_spawn(
      shared_.pool.get_executor(),
      [&handler, &request]() -> asio::awaitable<Response> { co_return call_guarded(handler, request); },
      asio::use_awaitable);
}

asio::awaitable<bool> Connection::write_response(Response response, unsigned version, bool head,
                                                 bool keep_alive) {
  if (response.status < 100 || response.status > 999) {
    spdlog::error("handler returned invalid HTTP status {}", response.status);
    response = Response::error(ErrorCode::internal_error, "internal server error");
  }
  bhttp::response<bhttp::string_body> msg;
  msg.version(version);
  msg.result(response.status);
  for (const auto& h : response.headers) {
    if (is_framing_header(h.name)) continue;
    if (!header_is_valid(h)) {
      spdlog::warn("dropping response header '{}': invalid characters", lower(h.name));
      continue;
    }
    msg.insert(h.name, h.value);
  }
  std::size_t length = response.body.size();
  if (!head) msg.body() = std::move(response.body);
  msg.keep_alive(keep_alive);
  // RFC 9110 §8.6: no Content-Length on 1xx, 204 and 304; on HEAD it announces the GET body size.
  unsigned status = response.status;
  if (status >= 200 && status != 204 && status != 304) msg.content_length(length);

  stream_.expires_after(shared_.options.idle_timeout);
  auto [ec, written] = co_await bhttp::async_write(stream_, msg, kTuple);
  if (ec) spdlog::debug("http write to {} failed: {}", remote_address_, ec.message());
  co_return !ec;
}

asio::awaitable<void> Connection::write_continue() {
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(shared_.options.idle_timeout);
  co_await asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
}

asio::awaitable<void> Connection::linger_close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLingerTime);
  std::array<char, 4096> scratch;
  std::size_t total = 0;
  while (total < kLingerMaxBytes) {
    auto [read_ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kTuple);
    if (read_ec) break;
    total += n;
  }
  close();
}

}  // namespace routerly::http::detail
