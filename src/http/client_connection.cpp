#include "http/client_connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace routerly::http::detail {

namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

Error phase_error(const Watchdog& watchdog, const std::string& what, milliseconds timeout,
                  const boost::system::error_code& ec) {
  if (watchdog.cancelled()) return Error{ErrorCode::upstream_error, "cancelled"};
  if (watchdog.total_expired())
    return Error{ErrorCode::upstream_timeout, what + " timed out: the whole call is limited to " +
                                                  std::to_string(watchdog.total().count()) + " ms"};
  if (watchdog.timed_out())
    return Error{ErrorCode::upstream_timeout,
                 what + " timed out after " + std::to_string(timeout.count()) + " ms"};
  return Error{ErrorCode::upstream_error, what + " failed: " + ec.message()};
}

Result<Origin> parse_origin(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail(ErrorCode::upstream_error, "invalid upstream URL: " + std::string(url));
  Origin o;
  o.scheme = lower(parsed->scheme());
  if (o.scheme != "http" && o.scheme != "https")
    return fail(ErrorCode::upstream_error, "unsupported URL scheme '" + o.scheme + "' (http or https)");
  std::string host(parsed->encoded_host_address());
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  o.host = lower(host);
  if (o.host.empty()) return fail(ErrorCode::upstream_error, "upstream URL has no host: " + std::string(url));
  uint16_t default_port = o.scheme == "https" ? 443 : 80;
  o.port = parsed->has_port() ? parsed->port_number() : default_port;
  if (o.port == 0)
    return fail(ErrorCode::upstream_error, "upstream URL has an invalid port: " + std::string(url));
  o.target = std::string(parsed->encoded_path());
  if (o.target.empty()) o.target = "/";
  if (parsed->has_query()) o.target += "?" + std::string(parsed->encoded_query());
  bool v6 = o.host.find(':') != std::string::npos;
  o.host_header = v6 ? "[" + o.host + "]" : o.host;
  if (o.port != default_port) o.host_header += ":" + std::to_string(o.port);
  return o;
}

void Watchdog::attach(asio::cancellation_slot slot) {
  if (!slot.is_connected()) return;
  struct OnCancel {
    std::weak_ptr<Watchdog> watchdog;
    void operator()(asio::cancellation_type type) const {
      if (type == asio::cancellation_type::none) return;
      if (auto d = watchdog.lock()) d->cancel();
    }
  };
  slot.emplace<OnCancel>(OnCancel{weak_from_this()});
}

void Watchdog::limit_total(milliseconds total) {
  total_ = total;
  total_deadline_ = Clock::now() + total;
}

void Watchdog::arm(milliseconds timeout, std::function<void()> abort) {
  abort_ = std::move(abort);
  armed_ = true;
  deadline_ = Clock::now() + timeout;
  if (total_deadline_ && *total_deadline_ < deadline_) deadline_ = *total_deadline_;
  // A pending wait ending at or before the new deadline re-checks it when it fires; one ending
  // later would fire too late, so the timer is moved (its pending waits end aborted).
  if (waits_ == 0 || timer_.expiry() > deadline_) {
    timer_.expires_at(deadline_);
    start_wait();
  }
}

void Watchdog::start_wait() {
  ++waits_;
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto d = weak.lock();
    if (!d) return;
    --d->waits_;
    if (ec || !d->armed_) return;  // moved (a newer wait exists), or no phase is guarded now
    if (Clock::now() < d->deadline_) {  // the deadline moved on since this wait started
      if (d->waits_ == 0) {
        d->timer_.expires_at(d->deadline_);
        d->start_wait();
      }
      return;
    }
    d->armed_ = false;
    d->timed_out_ = true;
    d->total_expired_ = d->total_deadline_ && d->deadline_ == *d->total_deadline_;
    if (d->abort_) d->abort_();
  });
}

void Watchdog::disarm() {
  armed_ = false;
  abort_ = nullptr;
}

void Watchdog::stop() {
  disarm();
  if (waits_ > 0) timer_.cancel();
}

void Watchdog::cancel() {
  cancelled_ = true;
  if (abort_) abort_();
}

bool ClientConnection::alive() {
  tcp::socket& s = socket();
  if (!s.is_open()) return false;
  char probe = 0;
  ssize_t n = ::recv(s.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  // Unsolicited bytes: on plain HTTP a protocol error; on TLS possibly a session ticket.
  return is_tls();
}

void ClientConnection::close() {
  boost::system::error_code ec;
  socket().shutdown(tcp::socket::shutdown_both, ec);
  socket().close(ec);
}

asio::awaitable<Result<std::unique_ptr<ClientConnection>>> open_connection(const Origin& origin,
                                                                           const Proxy* proxy,
                                                                           ssl::context* tls, bool verify_tls,
                                                                           milliseconds timeout,
                                                                           Watchdog& watchdog) {
  auto executor = co_await asio::this_coro::executor;
  const auto deadline = Clock::now() + timeout;
  auto remaining = [&] {
    return std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
  };
  // host:port, always with the port (CONNECT's authority form and messages).
  const bool v6 = origin.host.find(':') != std::string::npos;
  const std::string target = (v6 ? "[" + origin.host + "]" : origin.host) + ":" + std::to_string(origin.port);
  const std::string dial_host = proxy ? proxy->host : origin.host;
  const uint16_t dial_port = proxy ? proxy->port : origin.port;
  const std::string peer = proxy ? "proxy " + proxy->origin() : target;
  if (watchdog.cancelled()) co_return fail(ErrorCode::upstream_error, "cancelled");

  tcp::resolver resolver(executor);
  watchdog.arm(remaining(), [&resolver] { resolver.cancel(); });
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(dial_host, std::to_string(dial_port), kTuple);
  watchdog.disarm();
  if (resolve_ec || watchdog.fired())
    co_return std::unexpected(phase_error(watchdog, "resolving " + dial_host, timeout, resolve_ec));

  auto connection = std::make_unique<ClientConnection>(executor);
  tcp::socket& socket = connection->socket_;
  boost::system::error_code connect_ec = asio::error::host_not_found;
  watchdog.arm(remaining(), [&socket] {
    boost::system::error_code ignored;
    socket.cancel(ignored);
  });
  for (const auto& entry : endpoints) {
    boost::system::error_code ignored;
    socket.close(ignored);
    socket.open(entry.endpoint().protocol(), ignored);
    std::tie(connect_ec) = co_await socket.async_connect(entry.endpoint(), kTuple);
    if (!connect_ec || watchdog.fired()) break;
  }
  watchdog.disarm();
  if (connect_ec || watchdog.fired())
    co_return std::unexpected(phase_error(watchdog, "connecting to " + peer, timeout, connect_ec));
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);

  if (proxy && origin.scheme == "https") {
    std::string connect = "CONNECT " + target + " HTTP/1.1\r\nhost: " + target + "\r\n";
    if (!proxy->authorization.empty()) connect += "proxy-authorization: " + proxy->authorization + "\r\n";
    connect += "\r\n";
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a CONNECT answer has no body, whatever its headers say
    watchdog.arm(remaining(), [&socket] {
      boost::system::error_code ignored_ec;
      socket.cancel(ignored_ec);
    });
    auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(connect), kTuple);
    boost::system::error_code read_ec = write_ec;
    if (!write_ec)
      std::tie(read_ec, std::ignore) =
          co_await bhttp::async_read_header(socket, connection->buffer, parser, kTuple);
    watchdog.disarm();
    if (read_ec || watchdog.fired())
      co_return std::unexpected(phase_error(watchdog, "CONNECT through " + peer, timeout, read_ec));
    unsigned status = parser.get().result_int();
    if (status < 200 || status > 299)
      co_return fail(ErrorCode::upstream_error,
                     peer + " refused CONNECT to " + target + " with status " + std::to_string(status));
    if (connection->buffer.size() != 0)
      co_return fail(ErrorCode::upstream_error, peer + " sent data before the TLS handshake");
  }

  if (origin.scheme == "https") {
    connection->tls_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(connection->socket_), *tls);
    auto& stream = *connection->tls_;
    if (!is_ip_literal(origin.host)) SSL_set_tlsext_host_name(stream.native_handle(), origin.host.c_str());
    if (verify_tls) {
      stream.set_verify_mode(ssl::verify_peer);
      stream.set_verify_callback(ssl::host_name_verification(origin.host));
    } else {
      stream.set_verify_mode(ssl::verify_none);
    }
    tcp::socket& lowest = stream.next_layer();
    watchdog.arm(remaining(), [&lowest] {
      boost::system::error_code ignored_ec;
      lowest.cancel(ignored_ec);
    });
    auto [tls_ec] = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
    watchdog.disarm();
    if (tls_ec || watchdog.fired()) {
      Error error = phase_error(watchdog, "TLS handshake with " + origin.host, timeout, tls_ec);
      long verify = SSL_get_verify_result(stream.native_handle());
      // The host name check runs in the verify callback, which leaves only "unspecified".
      if (error.code == ErrorCode::upstream_error && verify == X509_V_ERR_UNSPECIFIED && !watchdog.fired())
        error.message += " (certificate is not valid for " + origin.host + ")";
      else if (error.code == ErrorCode::upstream_error && verify != X509_V_OK && !watchdog.fired())
        error.message += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
      co_return std::unexpected(error);
    }
  }
  co_return connection;
}

}  // namespace routerly::http::detail
