// The outbound client against scripted loopback servers (loopback.hpp): framing, streaming,
// keep-alive pooling, stale-connection retry, errors, timeouts, cancellation, HTTP proxy.
#include "http/client.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "loopback.hpp"

namespace routerly::http {
namespace {

namespace asio = boost::asio;
using testing::Clock;
using testing::RawPeer;
using testing::ScriptedServer;
using namespace std::chrono_literals;

// What one call produced: the response head, each body piece with its arrival time, the error.
struct Fetched {
  std::optional<Error> error;  // from send() or from a read_some()
  unsigned status = 0;
  std::vector<Header> headers;
  std::vector<std::pair<long long, std::string>> pieces;  // (ms since send, bytes)
  std::string body() const {
    std::string out;
    for (const auto& [at, piece] : pieces) out += piece;
    return out;
  }
  std::string header(std::string_view name) const {
    for (const auto& h : headers)
      if (h.name == name) return h.value;
    return {};
  }
};

asio::awaitable<Fetched> fetch(HttpClient& client, ClientRequest request, asio::cancellation_slot slot = {}) {
  Fetched out;
  auto start = Clock::now();
  auto response = co_await client.send(std::move(request), slot);
  if (!response) {
    out.error = response.error();
    co_return out;
  }
  out.status = (*response)->status;
  out.headers = (*response)->headers;
  while (true) {
    auto piece = co_await (*response)->read_some();
    if (!piece) {
      out.error = piece.error();
      break;
    }
    if (!*piece) break;
    out.pieces.emplace_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count(),
        std::move(**piece));
  }
  co_return out;
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> out;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    if (e) std::rethrow_exception(e);
    out = std::move(value);
  });
  io.restart();
  io.run();
  return std::move(*out);
}

ClientRequest get(std::string url) {
  ClientRequest r;
  r.method = "GET";
  r.url = std::move(url);
  return r;
}

// Serves every request on the connection with `response` until the client closes.
ScriptedServer::Script serve_all(std::string response, ScriptedServer*& self) {
  return [response, &self](RawPeer& peer, int) {
    while (auto request = peer.read_message()) {
      self->record(*request);
      if (!peer.send(response)) return;
    }
  };
}

TEST(HttpClient, ContentLengthResponseAndRequestShape) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(
      serve_all("HTTP/1.1 201 Created\r\ncontent-length: 5\r\nX-Thing: B\r\n\r\nhello", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  ClientRequest request;
  request.url = server.url("/v1/chat?x=1");
  request.body = R"({"a":1})";
  request.headers = {{"content-type", "application/json"}, {"host", "evil"}, {"bad", "a\r\nb"}};
  Fetched f = run(io, fetch(client, request));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.status, 201u);
  EXPECT_EQ(f.header("x-thing"), "B");
  EXPECT_EQ(f.body(), "hello");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  const std::string& raw = seen[0];
  EXPECT_TRUE(raw.starts_with("POST /v1/chat?x=1 HTTP/1.1\r\n")) << raw;
  EXPECT_NE(raw.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("evil"), std::string::npos);
  EXPECT_EQ(raw.find("bad:"), std::string::npos);
  EXPECT_NE(raw.find("Accept-Encoding: identity\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-Length: 7\r\n"), std::string::npos) << raw;
  EXPECT_TRUE(raw.ends_with("\r\n\r\n{\"a\":1}"));
}

TEST(HttpClient, CallerAcceptEncodingIsKept) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(serve_all("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.headers = {{"accept-encoding", "gzip"}};
  Fetched f = run(io, fetch(client, request));
  ASSERT_FALSE(f.error);
  auto raw = server.requests().at(0);
  EXPECT_NE(raw.find("accept-encoding: gzip"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("identity"), std::string::npos);
}

TEST(HttpClient, ChunkedResponse) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(serve_all(
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.body(), "abcdefg");
}

TEST(HttpClient, StreamedPiecesArriveBeforeTheEnd) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n");
    std::this_thread::sleep_for(300ms);
    peer.send("6\r\nsecond\r\n");
    std::this_thread::sleep_for(300ms);
    peer.send("0\r\n\r\n");
    peer.read_message(2s);
  });
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(f.error) << f.error->message;
  ASSERT_EQ(f.pieces.size(), 2u);
  EXPECT_EQ(f.pieces[0].second, "first");
  EXPECT_EQ(f.pieces[1].second, "second");
  EXPECT_LT(f.pieces[0].first, 250);
  EXPECT_GE(f.pieces[1].first - f.pieces[0].first, 250);
}

TEST(HttpClient, ChunksAlreadyReceivedLeaveAsOnePiece) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    std::this_thread::sleep_for(100ms);
    // Three events in one segment, as an upstream writing a burst of SSE events sends them.
    peer.send("6\r\nevent1\r\n6\r\nevent2\r\n6\r\nevent3\r\n");
    std::this_thread::sleep_for(300ms);
    peer.send("6\r\nevent4\r\n0\r\n\r\n");
    peer.read_message(2s);
  });
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(f.error) << f.error->message;
  ASSERT_EQ(f.pieces.size(), 2u);
  EXPECT_EQ(f.pieces[0].second, "event1event2event3");  // one client write instead of three
  EXPECT_EQ(f.pieces[1].second, "event4");               // later bytes are never waited for
  EXPECT_GE(f.pieces[1].first - f.pieces[0].first, 250);
}

TEST(HttpClient, ReadUntilCloseBodyAndNoReuse) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil-");
    std::this_thread::sleep_for(50ms);
    peer.send("close");
    peer.close();
  });
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.body(), "until-close");
  Fetched g = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(g.error) << g.error->message;
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, KeepAliveReusesOneConnection) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(serve_all("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    Fetched f = run(io, fetch(client, get(server.url())));
    ASSERT_FALSE(f.error) << f.error->message;
    EXPECT_EQ(f.body(), "ok");
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests().size(), 3u);
}

// The idle connections belong to the io_context that made them: destroying the context closes
// them at once, while the client lives on (the client may go after the context).
TEST(HttpClient, PooledConnectionIsClosedWhenItsContextGoes) {
  auto closed = std::make_shared<std::promise<void>>();
  auto closed_future = closed->get_future();
  ScriptedServer server([closed](RawPeer& peer, int) {
    while (auto request = peer.read_message())
      if (!peer.send("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")) break;
    closed->set_value();
  });
  HttpClient client;
  {
    asio::io_context io;
    Fetched f = run(io, fetch(client, get(server.url())));
    ASSERT_FALSE(f.error) << f.error->message;
    EXPECT_EQ(closed_future.wait_for(100ms), std::future_status::timeout) << "kept for reuse";
  }
  EXPECT_EQ(closed_future.wait_for(2s), std::future_status::ready) << "still open after its context went";
}

TEST(HttpClient, ClientsDoNotShareConnections) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(serve_all("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", self));
  self = &server;
  asio::io_context io;
  HttpClient first;
  HttpClient second;  // e.g. other TLS settings: never handed the first one's connection
  ASSERT_FALSE(run(io, fetch(first, get(server.url()))).error);
  ASSERT_FALSE(run(io, fetch(second, get(server.url()))).error);
  ASSERT_FALSE(run(io, fetch(first, get(server.url()))).error);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ConnectionCloseIsNotPooled) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(
      serve_all("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  for (int i = 0; i < 2; ++i) ASSERT_FALSE(run(io, fetch(client, get(server.url()))).error);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, StalePooledConnectionIsRetriedOnce) {
  // Connection 0 answers once, then takes the second request and closes without answering.
  ScriptedServer server([](RawPeer& peer, int index) {
    if (!peer.read_message()) return;
    if (index == 0) {
      peer.send("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfirst");
      if (peer.read_message()) peer.close();
      return;
    }
    peer.send("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfresh");
    peer.read_message(2s);
  });
  asio::io_context io;
  HttpClient client;
  EXPECT_EQ(run(io, fetch(client, get(server.url()))).body(), "first");
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.body(), "fresh");
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ConnectRefusedIsUpstreamError) {
  uint16_t port = 0;
  {
    ScriptedServer closed([](RawPeer&, int) {});
    port = closed.port();
  }
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get("http://127.0.0.1:" + std::to_string(port) + "/")));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
  EXPECT_NE(f.error->message.find("connecting to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << f.error->message;
}

TEST(HttpClient, UnresolvableHostIsUpstreamError) {
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get("http://no-such-host.invalid/")));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
  EXPECT_NE(f.error->message.find("resolving no-such-host.invalid"), std::string::npos) << f.error->message;
}

TEST(HttpClient, BadUrlIsUpstreamError) {
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get("ftp://example.com/")));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
}

TEST(HttpClient, HeadersTimeoutIsUpstreamTimeout) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.closed_within(3s);  // never answers
  });
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.headers_timeout = 200ms;
  auto start = Clock::now();
  Fetched f = run(io, fetch(client, request));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_timeout) << f.error->message;
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(HttpClient, IdleGapIsUpstreamTimeout) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n");
    peer.closed_within(3s);
  });
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.idle_timeout = 200ms;
  Fetched f = run(io, fetch(client, request));
  EXPECT_EQ(f.body(), "hi");
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_timeout) << f.error->message;
}

// The idle timeout bounds each gap, not the whole body: pieces arriving steadily for longer
// than the timeout keep moving the deadline on.
TEST(HttpClient, SteadyPiecesOutlastTheIdleTimeout) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    for (int i = 0; i < 8; ++i) {
      std::this_thread::sleep_for(100ms);
      peer.send("1\r\nx\r\n");
    }
    peer.send("0\r\n\r\n");
    peer.read_message(2s);
  });
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.idle_timeout = 300ms;
  Fetched f = run(io, fetch(client, request));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.body(), "xxxxxxxx");
  EXPECT_GE(f.pieces.back().first, 700);  // well past one idle timeout in total
}

// A peer that trickles its answer one byte at a time, each gap well inside the idle timeout:
// headers after `head_delay`, then `body` bytes every `gap` until the client goes away.
ScriptedServer::Script trickle(std::chrono::milliseconds head_delay, std::chrono::milliseconds gap) {
  return [head_delay, gap](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    std::this_thread::sleep_for(head_delay);
    if (!peer.send("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")) return;
    for (int i = 0; i < 1000; ++i) {
      if (peer.closed_within(gap)) return;
      if (!peer.send("x")) return;
    }
  };
}

// The total timeout bounds the whole answer: a body that keeps trickling (every gap below the
// idle timeout) is cut once the call as a whole is over its limit.
TEST(HttpClient, TotalTimeoutCutsATricklingBody) {
  ScriptedServer server(trickle(0ms, 50ms));
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.idle_timeout = 1000ms;
  request.total_timeout = 400ms;
  auto start = Clock::now();
  Fetched f = run(io, fetch(client, request));
  auto took = Clock::now() - start;
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_timeout) << f.error->message;
  EXPECT_NE(f.error->message.find("whole call is limited to 400 ms"), std::string::npos) << f.error->message;
  EXPECT_FALSE(f.body().empty());  // bytes did arrive: no single gap was too long
  EXPECT_GE(took, 380ms);
  EXPECT_LT(took, 900ms);
}

// The limit runs from send(): the time spent waiting for the headers counts against it.
TEST(HttpClient, TotalTimeoutCountsTheWaitForHeaders) {
  ScriptedServer server(trickle(300ms, 50ms));
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.headers_timeout = 5000ms;
  request.idle_timeout = 1000ms;
  request.total_timeout = 450ms;
  auto start = Clock::now();
  Fetched f = run(io, fetch(client, request));
  auto took = Clock::now() - start;
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_timeout) << f.error->message;
  EXPECT_EQ(f.status, 200u);
  EXPECT_LT(took, 800ms);  // 450 ms from send, not 450 ms after the headers
}

TEST(HttpClient, TotalTimeoutAlsoBoundsTheHeaders) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.closed_within(3s);  // never answers
  });
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.headers_timeout = 5000ms;
  request.total_timeout = 200ms;
  auto start = Clock::now();
  Fetched f = run(io, fetch(client, request));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_timeout) << f.error->message;
  EXPECT_NE(f.error->message.find("response headers"), std::string::npos) << f.error->message;
  EXPECT_LT(Clock::now() - start, 1500ms);
}

// An answer complete within the total timeout is not affected by it, and its connection is
// reused (a deadline left over from the first call must not hit the second).
TEST(HttpClient, TotalTimeoutLeavesACompleteAnswerAlone) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(serve_all("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  ClientRequest request = get(server.url());
  request.total_timeout = 150ms;
  for (int i = 0; i < 2; ++i) {
    Fetched f = run(io, fetch(client, request));
    ASSERT_FALSE(f.error) << f.error->message;
    EXPECT_EQ(f.body(), "ok");
    std::this_thread::sleep_for(200ms);  // past the first call's total timeout
  }
  EXPECT_EQ(server.connections(), 1);
}

// read_all's cap: a body past it fails the read instead of being buffered whole.
TEST(HttpClient, ReadAllFailsPastItsCap) {
  ScriptedServer* self = nullptr;
  ScriptedServer server(
      serve_all("HTTP/1.1 200 OK\r\ncontent-length: 4096\r\n\r\n" + std::string(4096, 'x'), self));
  self = &server;
  asio::io_context io;
  HttpClient client;
  auto read = [&](std::size_t cap) -> asio::awaitable<Result<std::string>> {
    auto response = co_await client.send(get(server.url()));
    if (!response) co_return std::unexpected(response.error());
    co_return co_await (*response)->read_all(cap);
  };
  Result<std::string> small = run(io, read(1000));
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::upstream_error);
  EXPECT_NE(small.error().message.find("exceeds the 1000-byte limit"), std::string::npos)
      << small.error().message;
  Result<std::string> whole = run(io, read(4096));
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->size(), 4096u);
}

TEST(HttpClient, ResetMidBodyIsUpstreamError) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort");
    peer.close();
  });
  asio::io_context io;
  HttpClient client;
  Fetched f = run(io, fetch(client, get(server.url())));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
}

// Emits `signal` after `delay` on the test's io_context.
void cancel_after(asio::io_context& io, asio::cancellation_signal& signal, std::chrono::milliseconds delay,
                  std::shared_ptr<asio::steady_timer>& timer) {
  timer = std::make_shared<asio::steady_timer>(io, delay);
  timer->async_wait([&signal](boost::system::error_code ec) {
    if (!ec) signal.emit(asio::cancellation_type::terminal);
  });
}

TEST(HttpClient, CancellationAbortsWaitingForHeaders) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.closed_within(3s);
  });
  asio::io_context io;
  HttpClient client;
  asio::cancellation_signal signal;
  std::shared_ptr<asio::steady_timer> timer;
  cancel_after(io, signal, 100ms, timer);
  auto start = Clock::now();
  Fetched f = run(io, fetch(client, get(server.url()), signal.slot()));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
  EXPECT_EQ(f.error->message, "cancelled");
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(HttpClient, CancellationAppliesToLaterReads) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n");
    peer.closed_within(3s);
  });
  asio::io_context io;
  HttpClient client;
  asio::cancellation_signal signal;
  std::shared_ptr<asio::steady_timer> timer;
  cancel_after(io, signal, 300ms, timer);
  Fetched f = run(io, fetch(client, get(server.url()), signal.slot()));
  EXPECT_EQ(f.body(), "hi");
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->message, "cancelled");
}

TEST(HttpClient, CancellationBetweenReadsIsRemembered) {
  ScriptedServer server([](RawPeer& peer, int) {
    if (!peer.read_message()) return;
    peer.send("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n");
    peer.closed_within(3s);
  });
  asio::io_context io;
  HttpClient client;
  asio::cancellation_signal signal;
  auto task = [&]() -> asio::awaitable<std::optional<Error>> {
    auto response = co_await client.send(get(server.url()), signal.slot());
    if (!response) co_return response.error();
    auto first = co_await (*response)->read_some();
    if (!first || !*first) co_return Error{ErrorCode::internal_error, "no first piece"};
    signal.emit(asio::cancellation_type::terminal);  // nothing in flight right now
    auto second = co_await (*response)->read_some();
    if (second) co_return Error{ErrorCode::internal_error, "read after cancel succeeded"};
    co_return second.error();
  };
  auto error = run(io, task());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "cancelled");
}

TEST(HttpClient, HttpProxyGetsAbsoluteFormRequest) {
  ScriptedServer* self = nullptr;
  ScriptedServer proxy(serve_all("HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nproxied", self));
  self = &proxy;
  ::setenv("http_proxy", ("http://user:pw@127.0.0.1:" + std::to_string(proxy.port())).c_str(), 1);
  ::setenv("no_proxy", "other.test", 1);
  HttpClient client;
  ::unsetenv("http_proxy");
  ::unsetenv("no_proxy");
  asio::io_context io;
  Fetched f = run(io, fetch(client, get("http://upstream.test:8080/v1/x?y=1")));
  ASSERT_FALSE(f.error) << f.error->message;
  EXPECT_EQ(f.body(), "proxied");
  auto raw = proxy.requests().at(0);
  EXPECT_TRUE(raw.starts_with("GET http://upstream.test:8080/v1/x?y=1 HTTP/1.1\r\n")) << raw;
  EXPECT_NE(raw.find("Host: upstream.test:8080\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Proxy-Authorization: Basic dXNlcjpwdw==\r\n"), std::string::npos) << raw;
}

TEST(HttpClient, HttpsProxyRefusingConnectIsUpstreamError) {
  ScriptedServer* self = nullptr;
  ScriptedServer proxy(serve_all("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n", self));
  self = &proxy;
  ::setenv("HTTPS_PROXY", ("127.0.0.1:" + std::to_string(proxy.port())).c_str(), 1);
  HttpClient client;
  ::unsetenv("HTTPS_PROXY");
  asio::io_context io;
  Fetched f = run(io, fetch(client, get("https://api.upstream.test/v1/models")));
  ASSERT_TRUE(f.error);
  EXPECT_EQ(f.error->code, ErrorCode::upstream_error);
  EXPECT_NE(f.error->message.find("refused CONNECT to api.upstream.test:443 with status 403"),
            std::string::npos)
      << f.error->message;
  auto raw = proxy.requests().at(0);
  EXPECT_TRUE(raw.starts_with("CONNECT api.upstream.test:443 HTTP/1.1\r\n")) << raw;
}

}  // namespace
}  // namespace routerly::http
