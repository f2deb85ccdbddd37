#include "http/client.hpp"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "http/client_connection.hpp"
#include "http/client_pool.hpp"
#include "http/proxy_env.hpp"

namespace routerly::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using detail::ClientConnection;
using detail::ClientPool;
using detail::Origin;
using detail::Proxy;
using detail::Watchdog;
using std::chrono::milliseconds;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kPieceBytes = 16u << 10;
constexpr std::uint32_t kMaxResponseHeaderBytes = 64u << 10;
using Parser = bhttp::response_parser<bhttp::buffer_body>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Headers the client owns, whatever the caller passed.
bool is_client_owned(std::string_view lower_name) {
  return lower_name == "host" || lower_name == "content-length" || lower_name == "connection" ||
         lower_name == "transfer-encoding" || lower_name == "keep-alive" ||
         lower_name == "proxy-connection" || lower_name == "proxy-authorization";
}

bool is_safe_header(const Header& h) {
  if (h.name.empty()) return false;
  for (char c : h.name)
    if (c <= ' ' || c == ':' || c == 127) return false;
  for (char c : h.value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bhttp::request<bhttp::string_body> build_request(ClientRequest& request, const Origin& origin,
                                                 const Proxy* http_proxy) {
  bhttp::request<bhttp::string_body> msg;
  msg.version(11);
  std::string method = request.method;
  for (char& c : method)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  msg.method_string(method);
  // Through a plain-HTTP proxy the request line carries the absolute URL.
  msg.target(http_proxy ? origin.scheme + "://" + origin.host_header + origin.target : origin.target);
  msg.set(bhttp::field::host, origin.host_header);
  bool has_accept_encoding = false;
  for (const auto& h : request.headers) {
    std::string name = lower(h.name);
    if (is_client_owned(name) || !is_safe_header(h)) continue;
    has_accept_encoding = has_accept_encoding || name == "accept-encoding";
    msg.insert(name, h.value);
  }
  // Bodies are relayed and parsed as they come: ask for them uncompressed.
  if (!has_accept_encoding) msg.set(bhttp::field::accept_encoding, "identity");
  if (http_proxy && !http_proxy->authorization.empty())
    msg.set(bhttp::field::proxy_authorization, http_proxy->authorization);
  bool has_body = !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  msg.body() = std::move(request.body);
  if (has_body) msg.content_length(msg.body().size());
  msg.keep_alive(true);
  return msg;
}

// The pool is the context's own (ClientPool::of); the client's id keeps clients with different
// TLS settings from sharing a connection.
std::string pool_key(std::uint64_t client_id, const Origin& origin, const Proxy* proxy) {
  std::string key = std::to_string(client_id) + "|" + origin.scheme + "://" + origin.host_header + ":" +
                    std::to_string(origin.port);
  if (proxy) key += "|" + proxy->origin();
  return key;
}

// The peer closed a reused connection before answering: the pooled connection was stale.
bool closed_before_response(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

std::unique_ptr<Parser> make_parser(bool head) {
  auto parser = std::make_unique<Parser>();
  parser->header_limit(kMaxResponseHeaderBytes);
  parser->body_limit(std::numeric_limits<std::uint64_t>::max());
  if (head) parser->skip(true);
  return parser;
}

// Provider calls go to a handful of URLs over and over: the parsed form of the last few is
// kept per thread (parsing is pure, so any thread's copy is as good as a fresh parse).
Result<std::shared_ptr<const Origin>> cached_origin(const std::string& url) {
  struct Entry {
    std::string url;
    std::shared_ptr<const Origin> origin;
  };
  constexpr std::size_t kEntries = 8;
  thread_local std::array<Entry, kEntries> cache;
  thread_local std::size_t next = 0;
  for (const Entry& entry : cache)
    if (entry.origin && entry.url == url) return entry.origin;
  auto parsed = detail::parse_origin(url);
  if (!parsed) return std::unexpected(parsed.error());
  Entry& slot = cache[next++ % kEntries];
  slot.url = url;
  slot.origin = std::make_shared<const Origin>(std::move(*parsed));
  return slot.origin;
}

class ResponseImpl final : public ClientResponse {
 public:
  ResponseImpl(ClientPool& pool, ClientPool::Limits limits, std::string key,
               std::unique_ptr<ClientConnection> connection, std::unique_ptr<Parser> parser,
               std::shared_ptr<Watchdog> watchdog, milliseconds idle_timeout, std::string host)
      : pool_(pool),
        limits_(limits),
        key_(std::move(key)),
        connection_(std::move(connection)),
        parser_(std::move(parser)),
        watchdog_(std::move(watchdog)),
        idle_timeout_(idle_timeout),
        host_(std::move(host)) {
    status = parser_->get().result_int();
    for (const auto& field : parser_->get())
      headers.push_back({lower(field.name_string()), std::string(field.value())});
    if (parser_->is_done()) finish_body();
  }
  ~ResponseImpl() override {
    if (connection_) connection_->close();  // not read to the end: unusable for another request
  }

  asio::awaitable<Result<std::optional<std::string>>> read_some() override;

 private:
  // The body ended: the connection goes back to the pool when the server allows reuse.
  void finish_body() {
    done_ = true;
    watchdog_->stop();
    if (parser_->keep_alive() && connection_->buffer.size() == 0 && !watchdog_->fired()) {
      pool_.give(key_, std::move(connection_), limits_);
    } else {
      connection_->close();
    }
    connection_.reset();
  }
  Error fail_with(Error error) {
    error_ = error;
    watchdog_->stop();
    if (connection_) connection_->close();
    connection_.reset();
    return error;
  }

  ClientPool& pool_;  // the context's: outlives every connection of that context
  ClientPool::Limits limits_;
  std::string key_;
  std::unique_ptr<ClientConnection> connection_;
  std::unique_ptr<Parser> parser_;
  std::shared_ptr<Watchdog> watchdog_;
  milliseconds idle_timeout_;
  std::string host_;
  bool done_ = false;
  std::optional<Error> error_;
};

// Bytes already waiting in the socket. (The parser's own buffer is no sign: it may hold a
// partial chunk frame that needs bytes not yet sent.)
bool more_ready(ClientConnection& connection) {
  boost::system::error_code ec;
  const std::size_t waiting = connection.socket().available(ec);
  return !ec && waiting > 0;
}

asio::awaitable<Result<std::optional<std::string>>> ResponseImpl::read_some() {
  if (error_) co_return std::unexpected(*error_);
  if (done_) co_return std::nullopt;
  if (watchdog_->cancelled()) co_return std::unexpected(fail_with({ErrorCode::upstream_error, "cancelled"}));
  // Read into the connection's scratch buffer, then copy what came: a piece is as large as the
  // bytes it holds, and no 16 KiB buffer is zero-filled or allocated per read.
  std::string piece;
  while (true) {
    ClientConnection* connection = connection_.get();
    if (!connection->read_scratch)
      connection->read_scratch = std::make_unique_for_overwrite<char[]>(kPieceBytes);
    char* scratch = connection->read_scratch.get();
    auto& body = parser_->get().body();
    body.data = scratch;
    body.size = kPieceBytes;
    watchdog_->arm(idle_timeout_, [connection] {
      boost::system::error_code ignored;
      connection->socket().cancel(ignored);
    });
    auto [ec, n] = co_await connection->with_stream(
        [&](auto& stream) { return bhttp::async_read_some(stream, connection->buffer, *parser_, kTuple); });
    watchdog_->disarm();
    if (ec == bhttp::error::need_buffer) ec = {};
    // Chunks already buffered behind the one just read join this piece, parsed without I/O;
    // a partial frame (need_more) or a full scratch buffer (need_buffer) ends the pass.
    while (!ec && !parser_->is_done() && connection->buffer.size() > 0 && body.size > 0) {
      boost::system::error_code put_ec;
      const std::size_t used = parser_->put(connection->buffer.data(), put_ec);
      connection->buffer.consume(used);
      if (put_ec || used == 0) break;
    }
    // A TLS peer closing without close_notify still ends a read-until-close body.
    if (ec == asio::ssl::error::stream_truncated && !parser_->is_done() && parser_->need_eof())
      parser_->put_eof(ec);
    piece.append(scratch, kPieceBytes - body.size);
    if (ec || watchdog_->fired())
      co_return std::unexpected(fail_with(
          detail::phase_error(*watchdog_, "reading the response body from " + host_, idle_timeout_, ec)));
    if (parser_->is_done()) {
      finish_body();
      if (piece.empty()) co_return std::nullopt;
      co_return piece;
    }
    // Events that arrived back to back leave as one piece (one client write, one wakeup);
    // a piece never waits for bytes that are not already here.
    if (!piece.empty() && (piece.size() >= kPieceBytes / 2 || !more_ready(*connection))) co_return piece;
  }
}

}  // namespace

std::string_view ClientResponse::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (h.name == lower_name) return h.value;
  return {};
}

asio::awaitable<Result<std::string>> ClientResponse::read_all(std::size_t max_bytes) {
  std::string out;
  while (true) {
    auto piece = co_await read_some();
    if (!piece) co_return std::unexpected(piece.error());
    if (!*piece) co_return out;
    if (out.size() + (*piece)->size() > max_bytes)
      co_return fail(ErrorCode::upstream_error, "the response body exceeds the " + std::to_string(max_bytes) +
                                                    "-byte limit of a buffered answer");
    out += **piece;
  }
}

// Process-unique, unlike an address that a later client may reuse.
std::atomic<std::uint64_t> next_client_id{1};

struct HttpClient::Impl {
  explicit Impl(ClientOptions opts)
      : options(std::move(opts)),
        tls(asio::ssl::context::tls_client),
        limits{options.max_idle_per_host, options.idle_keepalive},
        proxies(detail::ProxyEnv::from_env()) {
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    tls.set_default_verify_paths(ec);
    if (!options.ca_file.empty()) {
      tls.load_verify_file(options.ca_file, ec);
      if (ec) tls_error = "cannot load CA file " + options.ca_file + ": " + ec.message();
    }
  }

  ClientOptions options;
  asio::ssl::context tls;
  ClientPool::Limits limits;
  const std::uint64_t id = next_client_id.fetch_add(1, std::memory_order_relaxed);
  detail::ProxyEnv proxies;
  std::string tls_error;  // set: every https call fails with it
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

asio::awaitable<Result<std::unique_ptr<ClientResponse>>> HttpClient::send(ClientRequest request,
                                                                          asio::cancellation_slot cancel) {
  std::shared_ptr<Impl> impl = impl_;
  auto executor = co_await asio::this_coro::executor;
  auto cached = cached_origin(request.url);
  if (!cached) co_return std::unexpected(cached.error());
  const std::shared_ptr<const Origin> origin = std::move(*cached);
  const Proxy* proxy = impl->proxies.proxy_for(origin->scheme, origin->host, origin->port);
  if (proxy && !proxy->error.empty())
    co_return fail(ErrorCode::upstream_error,
                   (origin->scheme == "https" ? "HTTPS_PROXY: " : "HTTP_PROXY: ") + proxy->error);
  if (origin->scheme == "https" && !impl->tls_error.empty())
    co_return fail(ErrorCode::upstream_error, impl->tls_error);

  auto watchdog = std::make_shared<Watchdog>(executor);
  watchdog->attach(cancel);
  if (request.total_timeout.count() > 0) watchdog->limit_total(request.total_timeout);
  ClientPool& pool = ClientPool::of(executor);
  const std::string key = pool_key(impl->id, *origin, proxy);
  const bool head = lower(request.method) == "head";
  const milliseconds headers_timeout = request.headers_timeout;
  const milliseconds connect_timeout = request.connect_timeout;
  const milliseconds idle_timeout = request.idle_timeout;
  auto message = build_request(request, *origin, proxy && origin->scheme == "http" ? proxy : nullptr);

  // A pooled connection the server closed meanwhile fails before any response byte: that
  // one attempt is repeated once on a fresh connection.
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<ClientConnection> connection;
    if (attempt == 0) connection = pool.take(key, impl->limits);
    const bool reused = connection != nullptr;
    if (!connection) {
      auto opened = co_await detail::open_connection(*origin, proxy, &impl->tls, impl->options.verify_tls,
                                                     connect_timeout, *watchdog);
      if (!opened) co_return std::unexpected(opened.error());
      connection = std::move(*opened);
    }
    ClientConnection* c = connection.get();
    auto parser = make_parser(head);
    watchdog->arm(headers_timeout, [c] {
      boost::system::error_code ignored;
      c->socket().cancel(ignored);
    });
    auto [write_ec, written] =
        co_await c->with_stream([&](auto& stream) { return bhttp::async_write(stream, message, kTuple); });
    boost::system::error_code read_ec;
    if (!write_ec) {
      while (true) {
        std::tie(read_ec, std::ignore) = co_await c->with_stream(
            [&](auto& stream) { return bhttp::async_read_header(stream, c->buffer, *parser, kTuple); });
        unsigned status = read_ec ? 0 : parser->get().result_int();
        if (read_ec || status < 100 || status > 199 || status == 101) break;
        parser = make_parser(head);  // an interim 1xx answer: the real one follows
      }
    }
    watchdog->disarm();
    if (write_ec || read_ec || watchdog->fired()) {
      connection->close();
      bool stale = reused && !watchdog->fired() && (write_ec || closed_before_response(read_ec));
      if (stale && attempt == 0) continue;
      std::string what =
          (write_ec ? "sending the request to " : "waiting for response headers from ") + origin->host_header;
      co_return std::unexpected(
          detail::phase_error(*watchdog, what, headers_timeout, write_ec ? write_ec : read_ec));
    }
    co_return std::make_unique<ResponseImpl>(pool, impl->limits, key, std::move(connection), std::move(parser),
                                             watchdog, idle_timeout, origin->host_header);
  }
}

}  // namespace routerly::http
