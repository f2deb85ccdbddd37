#pragma once
// An http::Exchange for unit tests of async handlers: blocking work runs inline, a streamed
// body is collected, and `response()` is what a client would have received.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "http/exchange.hpp"
#include "http/router.hpp"

namespace routerly::testing {

class RecordingExchange final : public http::Exchange {
 public:
  explicit RecordingExchange(http::Request& request) : request_(request) {}

  http::Request& request() override { return request_; }
  boost::asio::awaitable<void> respond(http::Response response) override {
    response_ = std::move(response);
    complete = true;
    co_return;
  }
  boost::asio::awaitable<bool> start_stream(unsigned status, std::vector<http::Header> headers,
                                            std::string_view first_data) override {
    response_.status = status;
    response_.headers = std::move(headers);
    response_.body.assign(first_data);
    streamed = true;
    co_return true;
  }
  boost::asio::awaitable<bool> write(std::string_view data) override {
    response_.body.append(data);
    ++writes;
    co_return true;
  }
  boost::asio::awaitable<void> finish(std::string_view last_data) override {
    response_.body.append(last_data);
    complete = true;
    co_return;
  }
  boost::asio::awaitable<http::Response> run_blocking(std::function<http::Response()> work) override {
    co_return work();
  }
  bool client_gone() const override { return false; }
  boost::asio::cancellation_slot disconnect_slot() override { return disconnect_.slot(); }

  const http::Response& response() const { return response_; }

  bool streamed = false;  // answered with start_stream()
  bool complete = false;  // respond() or finish() was reached
  int writes = 0;         // body pieces after the first

 private:
  http::Request& request_;
  http::Response response_;
  boost::asio::cancellation_signal disconnect_;
};

// Runs an async handler to completion on a private io_context.
inline void run_async(const http::AsyncHandler& handler, RecordingExchange& exchange) {
  boost::asio::io_context io;
  boost::asio::co_spawn(io, handler(exchange), boost::asio::detached);
  io.run();
}

}  // namespace routerly::testing
