#pragma once
// Asynchronous handlers: the proxy answers on the connection's I/O strand, streams bodies
// chunk by chunk and learns when the client goes away. Asio's awaitable is the only
// dependency here; Beast stays inside src/http/*.cpp.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <functional>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace routerly::http {

// One request being answered. Lives until the handler's coroutine returns.
class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual Request& request() = 0;

  // Sends a complete response (content-length framing). Call at most once, and not after
  // start_stream().
  virtual boost::asio::awaitable<void> respond(Response response) = 0;

  // Starts a chunked response: status and headers go out now. Returns false when the client
  // is gone. CORS and the request log line are handled by the server as for respond().
  // `first_data`, when given, is sent as the first body piece in the same write as the headers.
  virtual boost::asio::awaitable<bool> start_stream(unsigned status, std::vector<Header> headers,
                                                    std::string_view first_data = {}) = 0;
  // Sends one piece of the body immediately (no buffering). False when the client is gone.
  virtual boost::asio::awaitable<bool> write(std::string_view data) = 0;
  // Ends the chunked body.
  // `last_data`, when given, is sent as the last body piece in the same write as the body's end.
  virtual boost::asio::awaitable<void> finish(std::string_view last_data = {}) = 0;

  // Runs blocking work (store access, hashing) on the blocking pool and resumes on this
  // exchange's strand.
  virtual boost::asio::awaitable<Response> run_blocking(std::function<Response()> work) = 0;

  // True once the client closed the connection (detected while the handler runs).
  virtual bool client_gone() const = 0;
  // Emits boost::asio::cancellation_type::terminal when the client disconnects; bind it to
  // upstream operations so a disconnect cancels them. It also fires, the client still being
  // there, when the server's shutdown grace runs out during a stream (cut_by_shutdown()).
  virtual boost::asio::cancellation_slot disconnect_slot() = 0;
  // True once the server's shutdown grace ran out while this exchange was being answered. A
  // stream then has its upstream reads cancelled; its handler owes the client an in-stream
  // error and the finished body, quickly (the server waits only a moment longer), and records
  // the call.
  virtual bool cut_by_shutdown() const { return false; }
};

using AsyncHandler = std::function<boost::asio::awaitable<void>(Exchange&)>;

}  // namespace routerly::http
