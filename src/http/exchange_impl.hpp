#pragma once
// Private to src/http: the Exchange given to async handlers, over one server Connection.
// Everything here runs on the connection's strand.
#include <boost/asio/cancellation_signal.hpp>
#include <memory>

#include "http/connection.hpp"
#include "http/exchange.hpp"

namespace routerly::http::detail {

class ExchangeImpl final : public Exchange {
 public:
  // What the handler has done with the response so far.
  enum class State { idle, responded, streaming, finished };

  ExchangeImpl(Connection& connection, Request& request, unsigned version, bool keep_alive,
               Clock::time_point start);
  ~ExchangeImpl() override;

  Request& request() override { return request_; }
  asio::awaitable<void> respond(Response response) override;
  asio::awaitable<bool> start_stream(unsigned status, std::vector<Header> headers,
                                     std::string_view first_data) override;
  asio::awaitable<bool> write(std::string_view data) override;
  asio::awaitable<void> finish(std::string_view last_data) override;
  asio::awaitable<Response> run_blocking(std::function<Response()> work) override;
  bool client_gone() const override { return gone_; }
  asio::cancellation_slot disconnect_slot() override { return disconnect_.slot(); }

  // Watches the socket for the client closing until stop_watching(); emits on disconnect_slot().
  // A plain completion handler, not a coroutine: one readiness wait on the socket per request
  // (re-armed only on a spurious wakeup). The pending wait holds only a shared Watch that
  // stop_watching() detaches from this exchange, so it never touches a destroyed exchange.
  void start_watching();
  void stop_watching();

  State state() const { return state_; }
  // Whether the connection can serve another request after this exchange.
  bool reusable() const;
  // Logs the request line once (for an exchange that ended without finishing its answer).
  void log_once();

 private:
  struct Watch;
  void arm_watch(const std::shared_ptr<Watch>& watch);
  void check_client(const std::shared_ptr<Watch>& watch);
  void mark_gone();
  asio::awaitable<bool> send(std::vector<asio::const_buffer> buffers);
  void frame_piece(std::string_view data, std::string& size_line, std::vector<asio::const_buffer>& buffers) const;

  Connection& connection_;
  Request& request_;
  const unsigned version_;
  bool keep_alive_;
  const bool head_;
  const Clock::time_point start_;
  State state_ = State::idle;
  unsigned status_ = 0;
  bool chunked_ = false;
  bool gone_ = false;
  bool write_failed_ = false;
  bool logged_ = false;
  asio::cancellation_signal disconnect_;
  std::shared_ptr<Watch> watch_;
};

}  // namespace routerly::http::detail
