// Async handlers over a real loopback socket: chunked streaming, client disconnect, keep-alive
// after a stream, handler failures, drain. The client side is a raw socket (loopback.hpp).
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <memory>

#include "http/server.hpp"
#include "loopback.hpp"

namespace routerly::http {
namespace {

namespace asio = boost::asio;
using testing::Clock;
using testing::RawPeer;
using namespace std::chrono_literals;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// What the /hold handler saw when the client went away.
struct HoldResult {
  bool aborted = false;  // the bound "upstream" wait was cancelled
  bool client_gone = false;
};

struct Probe {
  std::promise<HoldResult> hold;
  std::atomic<int> stream_finished{0};
};

std::shared_ptr<const Router> async_router(Probe& probe) {
  auto r = std::make_shared<Router>();
  r->add_async("GET", "/stream", [](Exchange& ex) -> asio::awaitable<void> {
    int gap = std::stoi(ex.request().query_param("gap").value_or("150"));
    // (Headers built outside co_await: g++ 12 rejects braced lists in co_await operands.)
    std::vector<Header> headers{{"content-type", "text/event-stream"}};
    if (!co_await ex.start_stream(200, std::move(headers))) co_return;
    for (int i = 0; i < 3; ++i) {
      if (i > 0) co_await sleep_for(std::chrono::milliseconds(gap));
      if (!co_await ex.write("data: " + std::to_string(i) + "\n\n")) co_return;
    }
    co_await ex.finish();
  });
  r->add_async("GET", "/hold", [&probe](Exchange& ex) -> asio::awaitable<void> {
    bool stream = ex.request().query_param("stream").has_value();
    if (stream) {
      std::vector<Header> headers{{"content-type", "text/plain"}};
      co_await ex.start_stream(200, std::move(headers));
      co_await ex.write("first");
    }
    // Stands for an upstream call bound to the disconnect slot.
    asio::steady_timer upstream(co_await asio::this_coro::executor, 10s);
    auto [ec] = co_await upstream.async_wait(
        asio::bind_cancellation_slot(ex.disconnect_slot(), asio::as_tuple(asio::use_awaitable)));
    probe.hold.set_value({ec == asio::error::operation_aborted, ex.client_gone()});
  });
  // A stream whose "upstream" never ends by itself: only a cancellation of the slot ends it.
  r->add_async("GET", "/endless", [](Exchange& ex) -> asio::awaitable<void> {
    std::vector<Header> headers{{"content-type", "text/event-stream"}};
    if (!co_await ex.start_stream(200, std::move(headers), "data: first\n\n")) co_return;
    asio::steady_timer upstream(co_await asio::this_coro::executor, 30s);
    co_await upstream.async_wait(asio::bind_cancellation_slot(ex.disconnect_slot(), asio::as_tuple(asio::use_awaitable)));
    co_await ex.finish(ex.cut_by_shutdown() ? "data: cut by shutdown\n\n" : "data: cancelled\n\n");
  });
  r->add_async("GET", "/throw-before", [](Exchange&) -> asio::awaitable<void> {
    throw std::runtime_error("before");
    co_return;
  });
  r->add_async("GET", "/throw-after", [](Exchange& ex) -> asio::awaitable<void> {
    co_await ex.start_stream(200, std::vector<Header>());
    co_await ex.write("partial");
    throw std::runtime_error("after");
  });
  r->add_async("GET", "/silent", [](Exchange&) -> asio::awaitable<void> { co_return; });
  r->add_async("GET", "/blocking", [](Exchange& ex) -> asio::awaitable<void> {
    std::thread::id io_thread = std::this_thread::get_id();
    Response res = co_await ex.run_blocking([io_thread] {
      return Response::text(200, std::this_thread::get_id() == io_thread ? "same" : "pool", "text/plain");
    });
    co_await ex.respond(std::move(res));
  });
  r->add_async("GET", "/coalesced", [](Exchange& ex) -> asio::awaitable<void> {
    std::vector<Header> headers{{"content-type", "text/event-stream"}};
    if (!co_await ex.start_stream(200, std::move(headers), "data: first\n\n")) co_return;
    co_await ex.finish("data: last\n\n");
  });
  r->add("GET", "/plain", [](Request&) { return Response::text(200, "plain", "text/plain"); });
  return r;
}

class AsyncServer {
 public:
  explicit AsyncServer(Probe& probe, std::chrono::milliseconds grace = 5s) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.shutdown_grace = grace;
    FallbackHandler fallback = [](Exchange& ex) -> asio::awaitable<void> {
      Response res = Response::error(ErrorCode::not_found, "async fallback");
      res.set_header("x-fallback", "async");
      co_await ex.respond(std::move(res));
    };
    server_ = std::make_unique<Server>(options, async_router(probe), fallback, [](std::string_view origin) {
      return origin == "https://good.example";
    });
    port_ = server_->listen().value();
    thread_ = std::thread([this] {
      server_->run();
      returned_.set_value();
    });
  }
  ~AsyncServer() {
    server_->stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }
  void stop() { server_->stop(); }
  bool returned_within(std::chrono::milliseconds d) {
    return returned_future_.wait_for(d) == std::future_status::ready;
  }

 private:
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::promise<void> returned_;
  std::future<void> returned_future_ = returned_.get_future();
};

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nhost: test\r\n" + std::string(extra) + "\r\n";
}

long long ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

TEST(HttpExchange, StreamSendsChunksAsTheyAreWritten) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  auto start = Clock::now();
  client.send(get("/stream?gap=250", "origin: https://good.example\r\n"));
  auto head = client.read_until("\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_NE(head->find("HTTP/1.1 200"), std::string::npos);
  std::string lower_head = *head;
  for (char& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower_head.find("transfer-encoding: chunked"), std::string::npos) << *head;
  EXPECT_NE(head->find("content-type: text/event-stream"), std::string::npos);
  EXPECT_NE(head->find("access-control-allow-origin: https://good.example"), std::string::npos) << *head;

  std::vector<long long> arrivals;
  for (int i = 0; i < 3; ++i) {
    std::string payload = "data: " + std::to_string(i) + "\n\n";
    auto chunk = client.read_until(payload + "\r\n");
    ASSERT_TRUE(chunk) << "chunk " << i;
    // Each write is its own chunk: "<hex size>\r\n<payload>\r\n".
    EXPECT_EQ(*chunk, "9\r\n" + payload + "\r\n");
    arrivals.push_back(ms(Clock::now() - start));
  }
  auto last = client.read_until("0\r\n\r\n");
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, "0\r\n\r\n");
  EXPECT_LT(arrivals[0], 200) << "the first chunk must not wait for the rest";
  EXPECT_GE(arrivals[1] - arrivals[0], 200);
  EXPECT_GE(arrivals[2] - arrivals[1], 200);
}

TEST(HttpExchange, FirstAndLastPiecesTravelWithHeadersAndEnd) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/coalesced"));
  auto whole = client.read_until("0\r\n\r\n");
  ASSERT_TRUE(whole);
  // Framing is identical to separate writes: one chunk per piece, then the terminator.
  EXPECT_TRUE(whole->ends_with("\r\n\r\nd\r\ndata: first\n\n\r\nc\r\ndata: last\n\n\r\n0\r\n\r\n")) << *whole;
  client.send(get("/plain"));  // and the connection stays usable
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_TRUE(res->ends_with("plain"));
}

TEST(HttpExchange, KeepAliveAfterFinishedStream) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/stream?gap=10"));
  ASSERT_TRUE(client.read_until("0\r\n\r\n"));
  client.send(get("/plain"));
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_NE(res->find("HTTP/1.1 200"), std::string::npos);
  EXPECT_TRUE(res->ends_with("plain"));
  client.send(get("/stream?gap=10"));
  EXPECT_TRUE(client.read_until("0\r\n\r\n"));
}

TEST(HttpExchange, Http10StreamEndsWithTheConnection) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send("GET /stream?gap=10 HTTP/1.0\r\n\r\n");
  auto head = client.read_until("\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->find("chunked"), std::string::npos) << *head;
  EXPECT_TRUE(client.closed_within(3s));
  EXPECT_EQ(client.buffered(), "data: 0\n\ndata: 1\n\ndata: 2\n\n");
}

TEST(HttpExchange, ClientDisconnectFiresTheSlotBeforeAnswer) {
  Probe probe;
  auto result = probe.hold.get_future();
  AsyncServer server(probe);
  {
    RawPeer client = RawPeer::connect(server.port());
    client.send(get("/hold"));
    std::this_thread::sleep_for(100ms);
  }  // closed
  ASSERT_EQ(result.wait_for(3s), std::future_status::ready) << "disconnect not detected";
  HoldResult r = result.get();
  EXPECT_TRUE(r.aborted);
  EXPECT_TRUE(r.client_gone);
}

TEST(HttpExchange, ClientDisconnectFiresTheSlotDuringStream) {
  Probe probe;
  auto result = probe.hold.get_future();
  AsyncServer server(probe);
  {
    RawPeer client = RawPeer::connect(server.port());
    client.send(get("/hold?stream=1"));
    ASSERT_TRUE(client.read_until("first\r\n"));
  }
  ASSERT_EQ(result.wait_for(3s), std::future_status::ready) << "disconnect not detected";
  EXPECT_TRUE(result.get().aborted);
}

TEST(HttpExchange, HandlerThrowingBeforeAnswerIs500Envelope) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/throw-before"));
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_NE(res->find("HTTP/1.1 500"), std::string::npos);
  EXPECT_NE(res->find("\"error\":\"internal_error\""), std::string::npos) << *res;
  // The connection stays usable.
  client.send(get("/plain"));
  auto next = client.read_message();
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->ends_with("plain"));
}

TEST(HttpExchange, HandlerThrowingAfterStreamStartClosesWithoutLastChunk) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/throw-after"));
  ASSERT_TRUE(client.read_until("partial\r\n"));
  EXPECT_TRUE(client.closed_within(3s));
  EXPECT_EQ(client.buffered().find("0\r\n\r\n"), std::string::npos);
}

TEST(HttpExchange, HandlerReturningWithoutAnswerIs500) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/silent"));
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_NE(res->find("HTTP/1.1 500"), std::string::npos);
}

TEST(HttpExchange, RunBlockingUsesThePool) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/blocking"));
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_TRUE(res->ends_with("pool")) << *res;
}

TEST(HttpExchange, FallbackIsAsync) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/nowhere"));
  auto res = client.read_message();
  ASSERT_TRUE(res);
  EXPECT_NE(res->find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(res->find("x-fallback: async"), std::string::npos);
}

TEST(HttpExchange, DrainWaitsForStreamInFlight) {
  Probe probe;
  AsyncServer server(probe);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/stream?gap=300"));
  ASSERT_TRUE(client.read_until("data: 0\n\n\r\n"));
  server.stop();
  EXPECT_FALSE(server.returned_within(200ms)) << "returned while the stream was running";
  auto rest = client.read_until("0\r\n\r\n");
  ASSERT_TRUE(rest);
  EXPECT_NE(rest->find("data: 2"), std::string::npos);
  EXPECT_TRUE(client.closed_within(2s));
  EXPECT_TRUE(server.returned_within(3s));
}

TEST(HttpExchange, StreamOpenWhenTheGraceEndsIsCutAndFinishedByItsHandler) {
  Probe probe;
  AsyncServer server(probe, 200ms);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/endless"));
  ASSERT_TRUE(client.read_until("data: first\n\n\r\n"));
  auto start = Clock::now();
  server.stop();
  // The handler learns of the cut through its slot, with the client still there, and ends
  // the stream properly.
  auto rest = client.read_until("0\r\n\r\n");
  ASSERT_TRUE(rest);
  EXPECT_NE(rest->find("data: cut by shutdown"), std::string::npos) << *rest;
  EXPECT_GE(ms(Clock::now() - start), 150);
  EXPECT_TRUE(client.closed_within(1s));
  EXPECT_TRUE(server.returned_within(1s)) << "the server waits only for the cut streams to end";
}

TEST(HttpExchange, NothingStreamingWhenTheGraceEndsReturnsAtOnce) {
  Probe probe;
  AsyncServer server(probe, 100ms);
  RawPeer client = RawPeer::connect(server.port());
  client.send(get("/hold"));  // an answer that never comes; not a stream, so not cut
  std::this_thread::sleep_for(50ms);
  auto start = Clock::now();
  server.stop();
  EXPECT_TRUE(server.returned_within(1s));
  EXPECT_LT(ms(Clock::now() - start), 1000);
}

}  // namespace
}  // namespace routerly::http
