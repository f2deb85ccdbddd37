#pragma once
// Private to src/http: the Exchange given to async handlers, over one server Connection.
// Everything here runs on the connection's strand.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/execution_context.hpp>
#include <memory>
#include <unordered_set>

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
  bool cut_by_shutdown() const override { return cut_; }
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
  // The shutdown grace ran out: a stream's upstream reads are cancelled now (through
  // disconnect_slot(), the client staying connected) so that its handler ends it with an error;
  // an exchange not streaming yet is cut when it starts to. True when a stream was cut now.
  bool cut_for_shutdown();

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
  bool cut_ = false;
  asio::cancellation_signal disconnect_;
  std::shared_ptr<Watch> watch_;
};

// The exchanges being answered on one io_context: an Asio service of that context, so it lives
// exactly as long as the exchanges it lists (their frames die with the context) whatever the
// order in which the server's members go. Touched only on the context's own thread (the server
// runs each context on one thread); reach it from elsewhere by posting to the context.
class ServingExchanges final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;  // the service's identity for use_service
  explicit ServingExchanges(asio::execution_context& context) : service(context) {}
  static ServingExchanges& of(const asio::any_io_executor& executor);

  // Lists an exchange until remove(); one added after cut_all() is cut at once.
  void add(ExchangeImpl* exchange);
  void remove(ExchangeImpl* exchange);
  // Cuts every listed exchange (ExchangeImpl::cut_for_shutdown), now and from now on.
  // Returns how many streams it cut.
  std::size_t cut_all();

 private:
  void shutdown() override {}

  std::unordered_set<ExchangeImpl*> serving_;
  bool cutting_ = false;
};

}  // namespace routerly::http::detail
