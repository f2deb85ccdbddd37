#pragma once
// Private to src/http: one accepted HTTP/1.1 connection and the server state it shares.
// Beast lives here and in the .cpp files of this directory only.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace routerly::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

class Connection;
class ExchangeImpl;

using Clock = std::chrono::steady_clock;

// Shared by the buffered and the streamed response paths (connection.cpp).
std::string lower(std::string_view s);
// A handler-supplied header must not be able to split the response.
bool header_is_valid(const Header& h);
// Framing headers are the server's business, whatever the handler set.
bool is_framing_header(std::string_view name);
void log_request(const ServerOptions& options, std::string_view method, std::string_view path, unsigned status, Clock::time_point start,
                 std::string_view remote);

// State owned by the server and read by every connection. Connections only hold a reference:
// the server outlives them (their coroutine frames die with its io_context).
struct ServerShared {
  ServerShared(ServerOptions opts, std::shared_ptr<const Router> r, FallbackHandler fb, OriginPolicy policy)
      : options(std::move(opts)),
        router(std::move(r)),
        fallback(std::move(fb)),
        origin_allowed(std::move(policy)),
        pool(std::max(1u, options.blocking_threads)) {}

  const ServerOptions options;
  const std::shared_ptr<const Router> router;
  const FallbackHandler fallback;
  const OriginPolicy origin_allowed;
  // Set once when the drain starts: connections finish the request in flight with
  // `connection: close` and stop reading.
  std::atomic<bool> draining{false};

  // Live connections, so the drain can close the idle ones. Weak: the coroutine frames own them.
  std::mutex connections_mutex;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;
  // Called (from the connection's strand) after a connection left `connections`.
  std::function<void()> on_connection_closed;

  // Runs BlockingHandlers, never the I/O threads. Last member: destroyed (joined) first.
  asio::thread_pool pool;
};

// Serves requests on one socket until the peer closes, an error, the idle timeout or the drain.
// All of its state is touched only on its own strand (the socket's executor).
//
// Request flow: read_request → respond (route, run the blocking handler on the pool, CORS)
// → write_response. Async routes and the fallback instead get an ExchangeImpl over this
// connection (serve_async): it writes the buffered or chunked answer itself while a watcher
// reports the client going away.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, ServerShared& shared);

  asio::any_io_executor executor() { return stream_.get_executor(); }
  // The connection's whole life; deregisters itself from `shared.connections` at the end.
  asio::awaitable<void> run();
  // Drain step, run on this connection's strand: closes the socket unless a request is in flight.
  void close_if_idle();

 private:
  asio::awaitable<void> serve();
  friend class ExchangeImpl;
  asio::awaitable<Response> respond(Request& request, Match& match);
  // The async route or the fallback that serves `request`; nullptr for a blocking route or an
  // answer of the server's own.
  const AsyncHandler* async_handler_for(const Request& request, const Match& match) const;
  // The 400 for a request whose target was refused (never routed).
  Response refusal(const Request& request, Error error);
  // Runs an async handler; true when the connection may serve another request.
  asio::awaitable<bool> serve_async(const AsyncHandler& handler, Request& request, unsigned version,
                                    bool keep_alive, Clock::time_point start);
  asio::awaitable<Response> run_blocking(const std::function<Response(Request&)>& handler, Request& request);
  asio::awaitable<bool> write_response(Response response, unsigned version, bool head, bool keep_alive);
  asio::awaitable<void> write_continue();
  // Closes after an error answer: stops sending, then discards what the client still sends
  // (briefly) so the close does not reset the connection before the client read the answer.
  asio::awaitable<void> linger_close();
  void close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  ServerShared& shared_;
  std::string remote_address_;
  bool busy_ = false;  // a request has been read and is not answered yet
};

}  // namespace routerly::http::detail
