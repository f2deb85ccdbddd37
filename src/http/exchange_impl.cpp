#include "http/exchange_impl.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <charconv>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "http/cors.hpp"
#include "http/guarded_call.hpp"

namespace routerly::http::detail {

namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";
}  // namespace

ExchangeImpl::ExchangeImpl(Connection& connection, Request& request, unsigned version, bool keep_alive,
                           Clock::time_point start)
    : connection_(connection),
      request_(request),
      version_(version),
      keep_alive_(keep_alive),
      head_(request.method == "HEAD"),
      start_(start) {
  ServingExchanges::of(connection_.executor()).add(this);
}

asio::awaitable<void> ExchangeImpl::respond(Response response) {
  if (state_ != State::idle) {
    spdlog::error("async handler answered twice on {} {}", request_.method, request_.path);
    co_return;
  }
  state_ = State::responded;
  apply_cors(request_, response, connection_.shared_.origin_allowed);
  keep_alive_ = keep_alive_ && !connection_.shared_.draining;
  status_ = response.status;
  bool written = co_await connection_.write_response(std::move(response), version_, head_, keep_alive_);
  if (!written) {
    write_failed_ = true;
    mark_gone();
  }
  log_once();
}

asio::awaitable<bool> ExchangeImpl::start_stream(unsigned status, std::vector<Header> headers,
                                                std::string_view first_data) {
  if (state_ != State::idle) {
    spdlog::error("async handler started a stream after answering on {} {}", request_.method, request_.path);
    co_return false;
  }
  state_ = State::streaming;
  if (status < 100 || status > 999) status = 500;
  status_ = status;
  Response head;
  head.status = status;
  head.headers = std::move(headers);
  apply_cors(request_, head, connection_.shared_.origin_allowed);

  bhttp::response<bhttp::empty_body> msg;
  msg.version(version_);
  msg.result(status);
  for (const auto& h : head.headers) {
    if (is_framing_header(h.name)) continue;
    if (!header_is_valid(h)) {
      spdlog::warn("dropping response header '{}': invalid characters", lower(h.name));
      continue;
    }
    msg.insert(h.name, h.value);
  }
  // HTTP/1.0 has no chunked coding: the body then ends with the connection.
  chunked_ = version_ >= 11;
  keep_alive_ = keep_alive_ && chunked_ && !connection_.shared_.draining;
  if (chunked_) msg.chunked(true);
  msg.keep_alive(keep_alive_);

  // The header is serialised here so that it leaves in one write with the first body piece.
  std::string header_bytes;
  bhttp::response_serializer<bhttp::empty_body> serializer(msg);
  serializer.split(true);
  beast::error_code ec;
  while (!ec && !serializer.is_header_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (auto buffer : beast::buffers_range_ref(buffers))
        header_bytes.append(static_cast<const char*>(buffer.data()), buffer.size());
      serializer.consume(beast::buffer_bytes(buffers));
    });
  }
  if (ec) {
    spdlog::error("serialising stream headers failed: {}", ec.message());
    write_failed_ = true;
    mark_gone();
    co_return false;
  }
  std::vector<asio::const_buffer> buffers{asio::buffer(header_bytes)};
  std::string size_line;
  frame_piece(first_data, size_line, buffers);
  const bool sent = co_await send(std::move(buffers));
  if (sent && cut_) disconnect_.emit(asio::cancellation_type::terminal);  // cut before it started
  co_return sent;
}

// Appends `data` as one body piece (chunk-framed when chunked); nothing for HEAD or empty data.
void ExchangeImpl::frame_piece(std::string_view data, std::string& size_line,
                               std::vector<asio::const_buffer>& buffers) const {
  if (data.empty() || head_) return;
  buffers.reserve(buffers.size() + 4);  // size line, data, CRLF and finish()'s last chunk
  if (chunked_) {
    std::array<char, 24> hex{};
    auto end = std::to_chars(hex.data(), hex.data() + hex.size() - 2, data.size(), 16).ptr;
    *end++ = '\r';
    *end++ = '\n';
    size_line.assign(hex.data(), end);
    buffers.push_back(asio::buffer(size_line));
  }
  buffers.push_back(asio::buffer(data.data(), data.size()));
  if (chunked_) buffers.push_back(asio::buffer(kCrlf.data(), kCrlf.size()));
}

asio::awaitable<bool> ExchangeImpl::send(std::vector<asio::const_buffer> buffers) {
  if (write_failed_) co_return false;
  connection_.stream_.expires_after(connection_.shared_.options.idle_timeout);
  auto [ec, n] = co_await asio::async_write(connection_.stream_, buffers, kTuple);
  if (ec) {
    spdlog::debug("http stream write to {} failed: {}", connection_.remote_address_, ec.message());
    write_failed_ = true;
    mark_gone();
  }
  co_return !ec;
}

asio::awaitable<bool> ExchangeImpl::write(std::string_view data) {
  if (state_ != State::streaming || write_failed_) co_return false;
  // An empty chunk would end the body; HEAD answers carry none.
  if (data.empty() || head_) co_return true;
  // (Buffers built outside the co_await: g++ 12 mishandles braced lists in co_await operands.)
  std::vector<asio::const_buffer> buffers;
  std::string size_line;
  frame_piece(data, size_line, buffers);
  co_return co_await send(std::move(buffers));
}

asio::awaitable<void> ExchangeImpl::finish(std::string_view last_data) {
  if (state_ != State::streaming) co_return;
  std::vector<asio::const_buffer> buffers;
  std::string size_line;
  frame_piece(last_data, size_line, buffers);
  if (chunked_ && !head_) buffers.push_back(asio::buffer(kLastChunk.data(), kLastChunk.size()));
  if (!buffers.empty() && !co_await send(std::move(buffers))) co_return;
  if (write_failed_) co_return;
  state_ = State::finished;
  log_once();
}

asio::awaitable<Response> ExchangeImpl::run_blocking(std::function<Response()> work) {
  Request& request = request_;
  co_return co_await asio::co_spawn(
      connection_.shared_.pool.get_executor(),
      [&work, &request]() -> asio::awaitable<Response> {
        co_return call_guarded([&work](Request&) { return work(); }, request);
      },
      asio::use_awaitable);
}

// Shared between the exchange and its pending socket wait. `exchange` is cleared when the
// exchange stops watching; `stop` cancels the wait (its handler then still runs, aborted).
struct ExchangeImpl::Watch {
  explicit Watch(ExchangeImpl* e) : exchange(e) {}
  ExchangeImpl* exchange;
  asio::cancellation_signal stop;
};

ExchangeImpl::~ExchangeImpl() {
  // Normally stopped already; a frame destroyed mid-handler (shutdown) only detaches.
  if (watch_) watch_->exchange = nullptr;
  ServingExchanges::of(connection_.executor()).remove(this);
}

bool ExchangeImpl::cut_for_shutdown() {
  if (cut_ || gone_) return false;
  cut_ = true;
  if (state_ != State::streaming) return false;
  disconnect_.emit(asio::cancellation_type::terminal);
  return true;
}

ServingExchanges& ServingExchanges::of(const asio::any_io_executor& executor) {
  return asio::use_service<ServingExchanges>(asio::query(executor, asio::execution::context));
}

void ServingExchanges::add(ExchangeImpl* exchange) {
  serving_.insert(exchange);
  if (cutting_) exchange->cut_for_shutdown();
}

void ServingExchanges::remove(ExchangeImpl* exchange) { serving_.erase(exchange); }

std::size_t ServingExchanges::cut_all() {
  cutting_ = true;
  // A copy: cutting runs cancellation handlers, which must not find the set mid-iteration.
  const std::vector<ExchangeImpl*> serving(serving_.begin(), serving_.end());
  std::size_t cut = 0;
  for (ExchangeImpl* exchange : serving)
    if (serving_.contains(exchange) && exchange->cut_for_shutdown()) ++cut;
  return cut;
}

void ExchangeImpl::start_watching() {
  watch_ = std::make_shared<Watch>(this);
  arm_watch(watch_);
}

void ExchangeImpl::arm_watch(const std::shared_ptr<Watch>& watch) {
  auto on_readable = [watch](boost::system::error_code ec) {
    // Stopped (the exchange may be gone), or the socket was closed under us.
    if (!ec && watch->exchange != nullptr) watch->exchange->check_client(watch);
  };
  auto handler = asio::bind_cancellation_slot(watch->stop.slot(), std::move(on_readable));
  connection_.stream_.socket().async_wait(tcp::socket::wait_read, std::move(handler));
}

// The socket became readable while the handler runs: the client left, or sent more.
void ExchangeImpl::check_client(const std::shared_ptr<Watch>& watch) {
  if (gone_) return;
  char probe = 0;
  ssize_t n = ::recv(connection_.stream_.socket().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  // Bytes waiting (a pipelined request) say the client is there; nothing more to learn.
  if (n > 0) return;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    arm_watch(watch);
    return;
  }
  mark_gone();  // 0 = orderly close, <0 = reset
}

void ExchangeImpl::stop_watching() {
  if (!watch_) return;
  watch_->exchange = nullptr;
  // Cancels the wait if it is still queued (a no-op when its handler already ran or is queued).
  watch_->stop.emit(asio::cancellation_type::all);
  watch_.reset();
}

void ExchangeImpl::mark_gone() {
  if (gone_) return;
  gone_ = true;
  disconnect_.emit(asio::cancellation_type::terminal);
}

bool ExchangeImpl::reusable() const {
  bool answered = state_ == State::responded || state_ == State::finished;
  return answered && !write_failed_ && !gone_ && keep_alive_ && !connection_.shared_.draining;
}

void ExchangeImpl::log_once() {
  if (logged_) return;
  logged_ = true;
  // 499: the client left before an answer started (nginx's convention, for the log only).
  log_request(connection_.shared_.options, request_.method, request_.path, status_ == 0 ? 499 : status_, start_,
              connection_.remote_address_);
}

// The handler runs in this coroutine while a socket wait watches for the client leaving;
// the handler's end stops the watch. What the handler left undone is settled here.
asio::awaitable<bool> Connection::serve_async(const AsyncHandler& handler, Request& request, unsigned version,
                                              bool keep_alive, Clock::time_point start) {
  ExchangeImpl exchange(*this, request, version, keep_alive, start);
  bool threw = false;
  exchange.start_watching();
  try {
    co_await handler(exchange);
  } catch (const std::exception& e) {
    threw = true;
    spdlog::error("async handler failed on {} {}", request.method, request.path);
    spdlog::debug("async handler failure detail: {}", e.what());
  } catch (...) {
    threw = true;
    spdlog::error("async handler failed with a non-standard exception on {} {}", request.method,
                  request.path);
  }
  exchange.stop_watching();

  if (exchange.state() == ExchangeImpl::State::idle && !exchange.client_gone()) {
    if (!threw) spdlog::error("async handler returned without answering {} {}", request.method, request.path);
    Response failed = Response::error(ErrorCode::internal_error, "internal server error");
    shared_.router->decorate_server_answer(request, failed);
    co_await exchange.respond(std::move(failed));
  }
  exchange.log_once();
  co_return exchange.reusable();
}

}  // namespace routerly::http::detail
