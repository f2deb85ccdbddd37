// The server over a real loopback socket: a Server runs in a background thread and a small
// Beast client in this file talks to it. (The only test TU that includes Beast.)
#include "http/server.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace routerly::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using HttpResponse = bhttp::response<bhttp::string_body>;

constexpr auto kIoTimeout = 5s;

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

Router test_router() {
  Router r;
  r.add("GET", "/hello", [](Request&) {
    Response res = Response::text(200, "hello world", "text/plain");
    res.set_header("x-custom", "yes");
    return res;
  });
  r.add("GET", "/api/models/{id}", [](Request& req) {
    json::object o;
    o["id"] = req.param("id");
    o["method"] = req.method;
    o["path"] = req.path;
    o["query"] = req.query;
    o["target"] = req.target;
    o["x_test"] = req.header("x-test");
    o["remote"] = req.remote_address;
    bool names_lower = true;
    for (const auto& h : req.headers)
      for (char c : h.name) names_lower = names_lower && !(c >= 'A' && c <= 'Z');
    o["names_lower"] = names_lower;
    return Response::json(200, o);
  });
  r.add("POST", "/echo",
        [](Request& req) { return Response::text(200, req.body, "application/octet-stream"); });
  r.add("GET", "/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  r.add("GET", "/slow", [](Request& req) {
    int ms = std::stoi(req.query_param("ms").value_or("300"));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return Response::text(200, "slow", "text/plain");
  });
  r.add("GET", "/fast", [](Request&) { return Response::text(200, "fast", "text/plain"); });
  r.add("GET", "/cred", [](Request&) {
    Response res = Response::text(200, "cred", "text/plain");
    res.set_header("access-control-allow-credentials", "true");
    return res;
  });
  return r;
}

ServerOptions test_options() {
  ServerOptions o;
  o.io_threads = 2;
  o.blocking_threads = 4;
  o.shutdown_grace = 5s;
  o.idle_timeout = 10s;
  return o;
}

// A Server on 127.0.0.1:<free port>, run() in a background thread.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = test_options(), Router router = test_router()) {
    options.host = "127.0.0.1";
    options.port = 0;
    FallbackHandler fallback = as_async([](Request&) {
      Response res = Response::error(ErrorCode::not_found, "no such route");
      res.set_header("x-fallback", "1");
      return res;
    });
    OriginPolicy policy = [](std::string_view origin) { return origin == "https://good.example"; };
    server_ =
        std::make_unique<Server>(options, std::make_shared<const Router>(std::move(router)), fallback, policy);
    auto port = server_->listen();
    if (!port) throw std::runtime_error(port.error().message);
    port_ = *port;
    returned_ = returned_promise_.get_future();
    thread_ = std::thread([this] {
      server_->run();
      returned_promise_.set_value();
    });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }
  void stop() { server_->stop(); }
  bool wait_returned(std::chrono::milliseconds timeout) {
    return returned_.wait_for(timeout) == std::future_status::ready;
  }

 private:
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::promise<void> returned_promise_;
  std::future<void> returned_;
  std::thread thread_;
};

// One client connection. Every read is bounded by kIoTimeout so a bug fails instead of hanging.
class Client {
 public:
  explicit Client(uint16_t port) { socket_.connect({asio::ip::make_address("127.0.0.1"), port}); }

  void send(std::string_view raw) {
    beast::error_code ec;
    asio::write(socket_, asio::buffer(raw.data(), raw.size()), ec);
  }

  beast::error_code read(HttpResponse& out, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64u << 20);
    parser.skip(head);
    beast::error_code ec = run([&](auto done) { bhttp::async_read(socket_, buffer_, parser, done); });
    if (!ec) out = parser.release();
    return ec;
  }

  HttpResponse request(std::string_view method, std::string_view target,
                       std::vector<std::pair<std::string, std::string>> headers = {},
                       std::string_view body = {}) {
    std::string raw = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
    for (const auto& [k, v] : headers) raw += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST") raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n";
    raw += body;
    send(raw);
    HttpResponse res;
    beast::error_code ec = read(res, method == "HEAD");
    if (ec) ADD_FAILURE() << "reading the response failed: " << ec.message();
    return res;
  }

  // True when the server closes the connection (EOF or reset) within `timeout`.
  bool closed_by_server(std::chrono::milliseconds timeout = kIoTimeout) {
    char byte;
    beast::error_code ec =
        run([&](auto done) { socket_.async_read_some(asio::buffer(&byte, 1), done); }, timeout);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  template <class Start>
  beast::error_code run(Start start, std::chrono::milliseconds timeout = kIoTimeout) {
    std::optional<beast::error_code> result;
    start([&](beast::error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run_for(timeout);
    if (!result) {
      socket_.cancel();
      io_.restart();
      io_.run();
      return asio::error::timed_out;
    }
    return *result;
  }

  asio::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

std::string error_code_of(const HttpResponse& res) {
  return std::string(json::parse(res.body()).as_object().at("error").as_string());
}

std::string header(const HttpResponse& res, std::string_view name) {
  return std::string(res[name]);
}

TEST(HttpServer, GetMatchedRoute) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/hello");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "hello world");
  EXPECT_EQ(header(res, "content-length"), "11");
  EXPECT_EQ(header(res, "content-type"), "text/plain");
  EXPECT_EQ(header(res, "x-custom"), "yes");
}

TEST(HttpServer, FillsRequestAndDecodesParams) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/api/models/openai%2Fgpt-4o/?x=1&y=2", {{"X-Test", "Value"}});
  ASSERT_EQ(res.result_int(), 200);
  json::object o = json::parse(res.body()).as_object();
  EXPECT_EQ(o.at("id").as_string(), "openai/gpt-4o");
  EXPECT_EQ(o.at("method").as_string(), "GET");
  EXPECT_EQ(o.at("path").as_string(), "/api/models/openai%2Fgpt-4o/");
  EXPECT_EQ(o.at("query").as_string(), "x=1&y=2");
  EXPECT_EQ(o.at("target").as_string(), "/api/models/openai%2Fgpt-4o/?x=1&y=2");
  EXPECT_EQ(o.at("x_test").as_string(), "Value");
  EXPECT_EQ(o.at("remote").as_string(), "127.0.0.1");
  EXPECT_TRUE(o.at("names_lower").as_bool());
}

TEST(HttpServer, OnlyOriginFormTargetsAreServed) {
  RunningServer server;
  Client client(server.port());
  for (std::string_view target : {"http://test/api/models/a%2Fb?q=1", "@attacker.test/hello", ".attacker.test/hello",
                                  "attacker.test:443", "*", "/../hello", "/%2e%2e/hello"}) {
    HttpResponse res = client.request("GET", target);
    EXPECT_EQ(res.result_int(), 400) << target;
    EXPECT_EQ(error_code_of(res), "validation_error") << target;
    EXPECT_EQ(header(res, "x-fallback"), "") << target;  // never routed
    EXPECT_TRUE(res.keep_alive()) << target;             // the request was read whole
  }
}

TEST(HttpServer, EverySpellingOfAPathReachesItsRoute) {
  RunningServer server;
  Client client(server.port());
  for (std::string_view target : {"//hello", "/./hello", "/x/../hello", "/%68ello", "/%2E/hello", "///hello/"}) {
    HttpResponse res = client.request("GET", target);
    EXPECT_EQ(res.result_int(), 200) << target;
    EXPECT_EQ(res.body(), "hello world") << target;
  }
  HttpResponse res = client.request("GET", "/api//models/./a%2fb?x=%7c|");
  ASSERT_EQ(res.result_int(), 200);
  json::object o = json::parse(res.body()).as_object();
  EXPECT_EQ(o.at("path").as_string(), "/api/models/a%2Fb");
  EXPECT_EQ(o.at("query").as_string(), "x=%7c%7C");
  EXPECT_EQ(o.at("target").as_string(), "/api//models/./a%2fb?x=%7c|");  // as sent
  EXPECT_EQ(o.at("id").as_string(), "a/b");
}

TEST(HttpServer, ServerAnswerHookSeesTheServersOwnAnswers) {
  Router router = test_router();
  router.add_async("GET", "/async-throw", [](Exchange&) -> asio::awaitable<void> {
    throw std::runtime_error("boom");
    co_return;
  });
  router.on_server_answer([](const Request& request, Response& response) {
    response.set_header("x-hooked", request.path);
  });
  ServerOptions options = test_options();
  options.max_body_bytes = 16;
  RunningServer server(options, std::move(router));
  {
    Client client(server.port());
    EXPECT_EQ(header(client.request("DELETE", "//hello"), "x-hooked"), "/hello");          // 405
    EXPECT_EQ(header(client.request("GET", "/a/../../x"), "x-hooked"), "/a/../../x");      // 400, as sent
    EXPECT_EQ(header(client.request("GET", "/async-throw"), "x-hooked"), "/async-throw");  // 500
    EXPECT_EQ(header(client.request("GET", "/hello"), "x-hooked"), "");                    // a handler's answer
    EXPECT_EQ(header(client.request("GET", "/nope"), "x-hooked"), "");                     // the fallback's
  }
  Client client(server.port());
  HttpResponse res = client.request("POST", "/v1//echo", {}, std::string(64, 'a'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(header(res, "x-hooked"), "/v1/echo");
}

TEST(HttpServer, PostBodyReachesHandler) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("POST", "/echo", {}, "some payload");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "some payload");
}

TEST(HttpServer, UnknownPathGoesToFallback) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/nope");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(error_code_of(res), "not_found");
  EXPECT_EQ(header(res, "x-fallback"), "1");
}

TEST(HttpServer, WrongMethodIs405WithAllow) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("DELETE", "/hello");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(error_code_of(res), "method_not_allowed");
  EXPECT_EQ(header(res, "allow"), "GET, HEAD");
  EXPECT_EQ(header(res, "content-length"), std::to_string(res.body().size()));
}

TEST(HttpServer, HeadIsGetWithoutBody) {
  RunningServer server;
  Client client(server.port());
  HttpResponse head = client.request("HEAD", "/hello");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(header(head, "content-length"), "11");
  EXPECT_TRUE(head.body().empty());
  // Framing stayed right: the next response on the same connection parses.
  HttpResponse get = client.request("GET", "/hello");
  EXPECT_EQ(get.body(), "hello world");
}

TEST(HttpServer, BodyOverLimitIs413AndCloses) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1024;
  RunningServer server(options);
  {
    Client client(server.port());
    EXPECT_EQ(client.request("POST", "/echo", {}, std::string(1000, 'a')).result_int(), 200);
  }
  Client client(server.port());
  HttpResponse res =
      client.request("POST", "/echo", {{"Origin", "https://good.example"}}, std::string(4096, 'a'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(error_code_of(res), "payload_too_large");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(header(res, "access-control-allow-origin"), "https://good.example");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, ChunkedBodyOverLimitIs413) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1024;
  RunningServer server(options);
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
              std::string(2048, 'b') + "\r\n0\r\n\r\n");
  HttpResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_EQ(res.result_int(), 413);
}

TEST(HttpServer, HeadersOverLimitAre431) {
  ServerOptions options = test_options();
  options.max_header_bytes = 1024;
  RunningServer server(options);
  Client client(server.port());
  HttpResponse res = client.request("GET", "/hello", {{"X-Big", std::string(4000, 'h')}});
  EXPECT_EQ(res.result_int(), 431);
  EXPECT_EQ(error_code_of(res), "headers_too_large");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, MalformedRequestIs400) {
  RunningServer server;
  {
    Client client(server.port());
    client.send("this is not http\r\n\r\n");
    HttpResponse res;
    ASSERT_FALSE(client.read(res));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(error_code_of(res), "validation_error");
    EXPECT_TRUE(client.closed_by_server());
  }
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n");
  HttpResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_EQ(res.result_int(), 400);
}

TEST(HttpServer, CorsSimpleRequestAllowedOrigin) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/cred", {{"Origin", "https://good.example"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(header(res, "access-control-allow-origin"), "https://good.example");
  EXPECT_EQ(header(res, "vary"), "Origin");
  EXPECT_EQ(header(res, "access-control-expose-headers"), "x-routerly-trace-id");
  EXPECT_EQ(res.find("access-control-allow-credentials"), res.end());

  // Error responses produced by the server itself carry CORS too.
  HttpResponse missing = client.request("GET", "/nope", {{"Origin", "https://good.example"}});
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(header(missing, "access-control-allow-origin"), "https://good.example");
}

TEST(HttpServer, CorsSimpleRequestDisallowedOrigin) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/hello", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.find("access-control-allow-origin"), res.end());
  EXPECT_EQ(res.find("access-control-expose-headers"), res.end());
}

TEST(HttpServer, CorsPreflight) {
  RunningServer server;
  Client client(server.port());
  HttpResponse ok = client.request("OPTIONS", "/v1/chat/completions",
                                   {{"Origin", "https://good.example"},
                                    {"Access-Control-Request-Method", "POST"},
                                    {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(ok.result_int(), 204);
  EXPECT_EQ(header(ok, "access-control-allow-origin"), "https://good.example");
  EXPECT_EQ(header(ok, "access-control-allow-methods"), "GET,HEAD,POST,PUT,PATCH,DELETE");
  EXPECT_EQ(header(ok, "access-control-allow-headers"), "authorization,content-type");
  EXPECT_EQ(header(ok, "access-control-max-age"), "600");
  EXPECT_EQ(ok.find("access-control-allow-credentials"), ok.end());

  HttpResponse denied = client.request(
      "OPTIONS", "/hello", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(denied.result_int(), 204);
  EXPECT_EQ(denied.find("access-control-allow-origin"), denied.end());

  HttpResponse bad = client.request("OPTIONS", "/hello", {{"Origin", "https://good.example"}});
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(error_code_of(bad), "validation_error");
  EXPECT_EQ(header(bad, "access-control-allow-origin"), "https://good.example");
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server;
  Client client(server.port());
  HttpResponse first = client.request("GET", "/hello");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_TRUE(first.keep_alive());
  HttpResponse second = client.request("GET", "/fast");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(second.body(), "fast");
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/hello", {{"Connection", "close"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = test_options();
  options.idle_timeout = 300ms;
  RunningServer server(options);
  Client client(server.port());
  EXPECT_EQ(client.request("GET", "/hello").result_int(), 200);
  auto start = Clock::now();
  EXPECT_TRUE(client.closed_by_server(3000ms));
  EXPECT_GE(ms_since(start), 200);
}

TEST(HttpServer, HandlerExceptionIs500Envelope) {
  RunningServer server;
  Client client(server.port());
  HttpResponse res = client.request("GET", "/throw");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(error_code_of(res), "internal_error");
  EXPECT_EQ(res.body().find("boom"), std::string::npos);
  // The connection survives a failing handler.
  EXPECT_EQ(client.request("GET", "/fast").result_int(), 200);
}

TEST(HttpServer, ExpectContinueGetsInterimResponse) {
  RunningServer server;
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  HttpResponse interim;
  ASSERT_FALSE(client.read(interim));
  EXPECT_EQ(interim.result_int(), 100);
  client.send("abcde");
  HttpResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "abcde");
}

TEST(HttpServer, BlockingHandlerDoesNotBlockIoThread) {
  ServerOptions options = test_options();
  options.io_threads = 1;
  options.blocking_threads = 2;
  RunningServer server(options);
  Client slow(server.port());
  slow.send("GET /slow?ms=800 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(100ms);

  Client fast(server.port());
  auto start = Clock::now();
  HttpResponse quick = fast.request("GET", "/fast");
  EXPECT_EQ(quick.result_int(), 200);
  EXPECT_LT(ms_since(start), 500);

  HttpResponse late;
  ASSERT_FALSE(slow.read(late));
  EXPECT_EQ(late.body(), "slow");
}

TEST(HttpServer, StopLetsInFlightRequestFinish) {
  RunningServer server;
  Client client(server.port());
  client.send("GET /slow?ms=600 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(150ms);
  server.stop();
  EXPECT_FALSE(server.wait_returned(150ms));  // the handler is still sleeping

  HttpResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "slow");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(server.wait_returned(3000ms));

  beast::error_code ec;
  asio::io_context io;
  tcp::socket late(io);
  late.connect({asio::ip::make_address("127.0.0.1"), server.port()}, ec);
  EXPECT_TRUE(ec) << "the listener should be closed";
}

TEST(HttpServer, StopClosesIdleConnectionsAndReturnsPromptly) {
  ServerOptions options = test_options();
  options.shutdown_grace = 10s;
  options.idle_timeout = 30s;
  RunningServer server(options);
  Client client(server.port());
  EXPECT_EQ(client.request("GET", "/hello").result_int(), 200);
  auto start = Clock::now();
  server.stop();
  EXPECT_TRUE(server.wait_returned(2000ms));
  EXPECT_LT(ms_since(start), 2000);
  EXPECT_TRUE(client.closed_by_server(1000ms));
}

TEST(HttpServer, DrainIsBoundedByDrainTimeout) {
  ServerOptions options = test_options();
  options.shutdown_grace = 200ms;
  RunningServer server(options);
  Client client(server.port());
  client.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  server.stop();
  EXPECT_TRUE(server.wait_returned(1000ms));
  EXPECT_LT(ms_since(start), 1000);
}

TEST(HttpServer, SigtermDrainsAndSecondSignalReturnsAtOnce) {
  ServerOptions options = test_options();
  options.shutdown_grace = 10s;
  RunningServer server(options);
  Client probe(server.port());
  ASSERT_EQ(probe.request("GET", "/fast").result_int(), 200);  // run() is serving: signals are hooked

  Client client(server.port());
  client.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(100ms);
  ::kill(::getpid(), SIGTERM);
  EXPECT_FALSE(server.wait_returned(300ms));    // draining, waiting for /slow
  EXPECT_TRUE(probe.closed_by_server(1000ms));  // the idle connection was closed by the drain
  auto start = Clock::now();
  ::kill(::getpid(), SIGTERM);
  EXPECT_TRUE(server.wait_returned(1000ms));
  EXPECT_LT(ms_since(start), 1000);
}

TEST(HttpServer, ListenReportsPortInUse) {
  RunningServer first;
  ServerOptions options = test_options();
  options.host = "127.0.0.1";
  options.port = first.port();
  Server second(options, std::make_shared<const Router>(), {}, {});
  auto result = second.listen();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find(std::to_string(first.port())), std::string::npos);
  EXPECT_NE(result.error().message.find("in use"), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace routerly::http
