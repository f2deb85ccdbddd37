#pragma once
// Private to src/http: one outbound connection (TCP, TLS, optionally through a proxy) and
// the watchdog that bounds and cancels its I/O. Everything of one call runs on the executor
// of the coroutine that made it.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "common/error.hpp"
#include "http/proxy_env.hpp"

namespace routerly::http::detail {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using Clock = std::chrono::steady_clock;

// Where a request goes: the parsed absolute URL.
struct Origin {
  std::string scheme;  // "http" | "https"
  std::string host;    // lower-case, without IPv6 brackets
  uint16_t port = 0;
  std::string target;       // path and query ("/v1/x?y=1")
  std::string host_header;  // "host" or "host:port" (non-default port), brackets for IPv6
};

Result<Origin> parse_origin(std::string_view url);

class Watchdog;
// The error of a failed I/O phase; `what` names the phase and its peer ("connecting to x:443").
// Cancelled → upstream_error "cancelled"; timed out → upstream_timeout; else upstream_error.
Error phase_error(const Watchdog& watchdog, const std::string& what, std::chrono::milliseconds timeout,
                  const boost::system::error_code& ec);

// Aborts the I/O in flight when its deadline passes or the caller's cancellation fires.
// Lives in a shared_ptr: the timer and the caller's slot only hold weak references.
class Watchdog : public std::enable_shared_from_this<Watchdog> {
 public:
  explicit Watchdog(asio::any_io_executor executor) : timer_(std::move(executor)) {}

  // Installs a handler in `slot` that marks the call cancelled and aborts the current I/O.
  // The handler stays installed (it outlives single operations) until the slot's signal
  // gets another handler or dies.
  void attach(asio::cancellation_slot slot);
  // A deadline for the whole call, `total` from now: every later phase ends by it, whatever
  // its own timeout.
  void limit_total(std::chrono::milliseconds total);
  // Starts guarding one phase: `abort` is called on timeout or cancellation. The phase ends
  // after `timeout` or at the call's overall deadline, whichever comes first.
  void arm(std::chrono::milliseconds timeout, std::function<void()> abort);
  // Ends the phase. The timer is left running (lazy deadline): the next arm() usually only
  // moves the deadline, so a phase costs no timer cancel and re-queue. A wait that outlives
  // its phase finds nothing armed and ends.
  void disarm();
  // Ends the phase and cancels the timer too (the call is over: nothing should keep the
  // executor busy until a stale deadline).
  void stop();

  bool timed_out() const { return timed_out_; }
  // The timeout that fired was the call's overall deadline (limit_total), not a phase's own.
  bool total_expired() const { return total_expired_; }
  std::chrono::milliseconds total() const { return total_; }
  bool cancelled() const { return cancelled_; }
  bool fired() const { return timed_out_ || cancelled_; }
  void reset_timeout() { timed_out_ = false; }
  void cancel();

 private:
  void start_wait();

  asio::steady_timer timer_;
  std::function<void()> abort_;
  Clock::time_point deadline_{};
  std::optional<Clock::time_point> total_deadline_;
  std::chrono::milliseconds total_{0};
  unsigned waits_ = 0;  // timer waits whose handler has not run yet
  bool armed_ = false;
  bool timed_out_ = false;
  bool total_expired_ = false;
  bool cancelled_ = false;
};

class ClientConnection {
 public:
  explicit ClientConnection(asio::any_io_executor executor) : socket_(std::move(executor)) {}

  asio::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  // Calls f(stream) with the TLS stream or the plain socket; both yield the same awaitable type.
  template <class F>
  auto with_stream(F&& f) {
    return tls_ ? f(*tls_) : f(socket_);
  }
  bool is_tls() const { return tls_ != nullptr; }

  // True unless the peer already closed or reset the idle connection (non-blocking peek).
  bool alive();
  void close();

  boost::beast::flat_buffer buffer;  // bytes read past the current response
  // Where response body pieces are read before being copied out (kept with the pooled
  // connection, so it is allocated once per connection, not per response).
  std::unique_ptr<char[]> read_scratch;
  Clock::time_point idle_since{};

 private:
  friend asio::awaitable<Result<std::unique_ptr<ClientConnection>>> open_connection(
      const Origin&, const Proxy*, ssl::context*, bool, std::chrono::milliseconds, Watchdog&);
  asio::ip::tcp::socket socket_;
  std::unique_ptr<ssl::stream<asio::ip::tcp::socket>> tls_;
};

// Resolves, connects (through `proxy` when given: CONNECT tunnel for https, plain TCP to the
// proxy for http), then does the TLS handshake for https. Errors: upstream_timeout when
// `timeout` passes, upstream_error otherwise ("cancelled" when the watchdog was cancelled).
asio::awaitable<Result<std::unique_ptr<ClientConnection>>> open_connection(const Origin& origin,
                                                                           const Proxy* proxy,
                                                                           ssl::context* tls, bool verify_tls,
                                                                           std::chrono::milliseconds timeout,
                                                                           Watchdog& watchdog);

}  // namespace routerly::http::detail
