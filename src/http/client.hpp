#pragma once
// The outbound HTTP/1.1 client used for provider calls: keep-alive connection pools per
// (scheme, host, port), TLS verified against the system store (SNI + host name check),
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY honoured (CONNECT tunnel for https), async DNS, and
// timeouts for connect, response headers and the gap between body chunks, plus an optional
// deadline for the whole call.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/message.hpp"

namespace routerly::http {

struct ClientRequest {
  std::string method = "POST";
  std::string url;  // absolute http:// or https:// URL, path and query included
  std::vector<Header> headers;  // host, content-length, connection are set by the client
  std::string body;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds headers_timeout{30000};  // from sending to response headers
  std::chrono::milliseconds idle_timeout{30000};     // max gap between body pieces
  // Bounds the whole call, from send() to the last body byte (connecting, the response
  // headers and every read together): a peer that keeps trickling bytes cannot hold the call
  // past it. Zero: no overall limit, only the per-phase timeouts above.
  std::chrono::milliseconds total_timeout{0};
};

// The most a buffered read (ClientResponse::read_all) keeps of one response body by default.
inline constexpr std::size_t kMaxBufferedBodyBytes = 8u << 20;

// A response whose body is read piece by piece as it arrives.
class ClientResponse {
 public:
  virtual ~ClientResponse() = default;
  unsigned status = 0;
  std::vector<Header> headers;  // lower-case names
  std::string_view header(std::string_view lower_name) const;

  // The next piece of the body; nullopt at the end. Errors: upstream_timeout (idle gap or the
  // request's total_timeout), upstream_error (connection reset, malformed framing). Cancelled →
  // upstream_error "cancelled". A response read to its end returns its connection to the pool.
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> read_some() = 0;
  // Reads the whole body, failing with upstream_error beyond max_bytes.
  boost::asio::awaitable<Result<std::string>> read_all(std::size_t max_bytes = kMaxBufferedBodyBytes);
};

struct ClientOptions {
  std::size_t max_idle_per_host = 64;
  std::chrono::seconds idle_keepalive{60};  // pooled connections older than this are dropped
  bool verify_tls = true;
  std::string ca_file;  // extra CA bundle (tests); system store always used
};

class HttpClient {
 public:
  // Calls run on the executor of the awaiting coroutine. Idle keep-alive connections belong to
  // that executor's context (they close when it shuts down), so the client and the contexts it
  // served may be destroyed in any order. `cancel` must be emitted on that same executor (e.g.
  // Exchange::disconnect_slot()).
  // The client keeps a handler installed in `cancel` for the response's lifetime; binding the
  // same slot to another operation afterwards replaces it.
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns once response headers arrived (or fails: upstream_error
  // for connection/TLS/DNS failures, upstream_timeout for the connect, headers or total timeout).
  // `cancel` (optional) aborts the call and any later read_some().
  boost::asio::awaitable<Result<std::unique_ptr<ClientResponse>>> send(
      ClientRequest request, boost::asio::cancellation_slot cancel = {});

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace routerly::http
