// The llm and semantic-intent policies against the real mock upstream (tools/mock-upstream):
// routing-model answers, fallback, repair, time limit, Anthropic routing models, embeddings.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "common/clock.hpp"
#include "config/settings.hpp"
#include "fixture.hpp"
#include "gateway/policy_calls.hpp"
#include "gateway/routing_memory.hpp"
#include "gateway/services.hpp"
#include "store/store.hpp"
#include "usage/writer.hpp"

namespace routerly::gateway {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;

// Starts `node tools/mock-upstream/server.mjs --port 0` and reads its port.
class MockUpstream {
 public:
  MockUpstream() {
    std::string script = std::string(ROUTERLY_FIXTURES) + "/../../tools/mock-upstream/server.mjs";
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      execlp("node", "node", script.c_str(), "--port", "0", "--host", "127.0.0.1", "--no-record", nullptr);
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char ch = 0;
    while (read(fds[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(fds[0]);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (!ec && v.is_object() && v.as_object().contains("port"))
      port_ = v.as_object().at("port").to_number<int>();
  }
  ~MockUpstream() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class NoStats : public routing::StatsView {
 public:
  std::vector<routing::Sample> samples(std::string_view, int64_t) const override { return {}; }
};

class PolicyCallsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { mock_ = new MockUpstream(); }
  static void TearDownTestSuite() {
    delete mock_;
    mock_ = nullptr;
  }

  void SetUp() override {
    ASSERT_GT(mock_->port(), 0) << "mock upstream did not start";
    dir_ = std::filesystem::temp_directory_path() /
           ("routerly-policy-calls-" + std::to_string(getpid()) + "-" + std::to_string(clock::now_ms()));
    std::filesystem::create_directories(dir_);
    auto store = store::open_sqlite(dir_ / "routerly.db");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    config_ = std::make_unique<config::ConfigService>(
        *store_, [](json::object s) { return config::with_defaults(std::move(s)); });
    auto spool = usage::Spool::open(dir_ / "usage-spool");
    ASSERT_TRUE(spool) << spool.error().message;
    writer_ = std::make_unique<usage::Writer>(*store_, std::move(*spool));
    writer_->subscribe([this](const store::UsageRow& row) {
      std::lock_guard lock(rows_mutex_);
      rows_.push_back(row);
    });
    client_ = std::make_unique<http::HttpClient>();
    notifier_ = std::make_unique<notify::Notifier>(*config_, &testing::test_box());
    services_ = std::make_unique<Services>(
        Context{*config_, *store_, testing::test_box(), *writer_, *client_, *notifier_});

    const std::string v1 = "http://127.0.0.1:" + std::to_string(mock_->port()) + "/v1";
    auto snap = std::make_shared<config::Snapshot>();
    auto model = [&](std::string id, std::string provider = "openai") {
      json::object m{{"id", id},
                     {"provider", provider},
                     {"endpoint", provider == "anthropic" ? v1.substr(0, v1.size() - 3) : v1},
                     {"apiKey", "k"},
                     {"cost", json::object{{"inputPerMillion", 1.0}, {"outputPerMillion", 2.0}}}};
      snap->docs.models.push_back(std::move(m));
    };
    for (const char* id : {"openai/a", "openai/b", "openai/c", "openai/router-route", "openai/plain",
                           "openai/broken-fail500", "openai/slow-route-delay3000", "openai/emb"})
      model(id);
    model("anthropic/claude-route", "anthropic");
    snap->docs.projects.push_back(json::object{
        {"id", "p1"},
        {"slug", "demo"},
        {"models", json::array{json::object{{"modelId", "openai/a"}}, json::object{{"modelId", "openai/b"}},
                               json::object{{"modelId", "openai/c"}}}}});
    snap->index();
    runtime_ = Runtime::compile(snap, testing::test_box());
    call_.caller.runtime = runtime_;
    call_.caller.project = runtime_->project("p1");
    call_.trace_id = "trace-1";
    for (const char* id : {"openai/a", "openai/b", "openai/c"}) {
      routing::PolicyCandidate c;
      c.model_id = id;
      candidates_.push_back(c);
    }
    features_.last_user_message = "fix my code";
    features_.last_user_string = "fix my code";
    features_.all_string_text = "fix my code";
  }

  void TearDown() override {
    services_.reset();
    client_.reset();
    if (writer_) writer_->flush();
    writer_.reset();
    config_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  using Runner = asio::awaitable<routing::PolicyOutcome> (*)(Services&, const Call&,
                                                             const routing::PolicyInput&);

  routing::PolicyOutcome run(Runner runner, const json::object& config) {
    routing::PolicyInput input{candidates_, features_, "p1", "", clock::now_ms(), stats_, config};
    routing::PolicyOutcome result;
    asio::co_spawn(io_, runner(*services_, call_, input),
                   [&](std::exception_ptr e, routing::PolicyOutcome out) {
                     if (e) {
                       result = routing::failed_outcome("exception", "threw");
                     } else {
                       result = std::move(out);
                     }
                   });
    io_.restart();
    io_.run();
    return result;
  }

  std::vector<std::string> messages(const routing::PolicyOutcome& out) const {
    std::vector<std::string> m;
    for (const auto& e : out.trace) m.emplace_back(e.as_object().at("message").as_string());
    return m;
  }

  std::vector<store::UsageRow> rows() {
    std::lock_guard lock(rows_mutex_);
    return rows_;
  }

  static MockUpstream* mock_;
  asio::io_context io_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<config::ConfigService> config_;
  std::unique_ptr<usage::Writer> writer_;
  std::unique_ptr<http::HttpClient> client_;
  std::unique_ptr<notify::Notifier> notifier_;
  std::unique_ptr<Services> services_;
  std::shared_ptr<const Runtime> runtime_;
  Call call_;
  std::vector<routing::PolicyCandidate> candidates_;
  routing::RequestFeatures features_;
  NoStats stats_;
  std::mutex rows_mutex_;
  std::vector<store::UsageRow> rows_;
};

MockUpstream* PolicyCallsTest::mock_ = nullptr;

double point_of(const routing::PolicyOutcome& out, std::string_view model) {
  for (const auto& p : out.routing)
    if (p.model == model) return p.point;
  return -1;
}

TEST_F(PolicyCallsTest, LlmScoresFromRoutingModel) {
  auto out = run(run_llm_policy, json::object{{"routingModelId", "openai/router-route"}});
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_DOUBLE_EQ(point_of(out, "openai/a"), 0.7);
  EXPECT_DOUBLE_EQ(point_of(out, "openai/b"), 0.8);
  EXPECT_DOUBLE_EQ(point_of(out, "openai/c"), 0.9);
  auto m = messages(out);
  EXPECT_EQ(m, (std::vector<std::string>{"model:request", "model:success", "llm-policy:scores"}));
  writer_->flush();
  auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].call_type, "routing");
  EXPECT_EQ(r[0].model_id, "openai/router-route");
  EXPECT_EQ(r[0].outcome, "success");
  EXPECT_EQ(r[0].trace_id, "trace-1");
  EXPECT_GT(r[0].input_tokens, 0);
  EXPECT_GT(r[0].cost, 0);
}

TEST_F(PolicyCallsTest, LlmFallsBackPastErrorsAndUnknownIds) {
  auto out = run(run_llm_policy,
                 json::object{{"routingModelId", "openai/broken-fail500"},
                              {"fallbackModelIds", json::array{"nobody/none", "anthropic/claude-route"}}});
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_DOUBLE_EQ(point_of(out, "openai/c"), 0.9);
  auto m = messages(out);
  EXPECT_NE(std::find(m.begin(), m.end(), "llm-policy:error"), m.end());
  EXPECT_NE(std::find(m.begin(), m.end(), "llm-policy:skip"), m.end());
  const json::object& scores = out.trace.back().as_object().at("details").as_object();
  EXPECT_EQ(scores.at("routingModel").as_string(), "anthropic/claude-route");
  writer_->flush();
  EXPECT_EQ(rows().size(), 2u);  // the failed call and the Anthropic one
}

TEST_F(PolicyCallsTest, LlmRepairsOnceThenFails) {
  auto out = run(run_llm_policy, json::object{{"routingModelId", "openai/plain"}});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, "llm policy: all models failed [openai/plain]");
  auto m = messages(out);
  EXPECT_NE(std::find(m.begin(), m.end(), "llm-policy:repair"), m.end());
  EXPECT_EQ(m.back(), "llm-policy:skip");
  writer_->flush();
  EXPECT_EQ(rows().size(), 2u);  // the call and its repair
}

TEST_F(PolicyCallsTest, LlmTimesOutWithinItsLimit) {
  auto started = std::chrono::steady_clock::now();
  auto out = run(run_llm_policy, json::object{{"routingModelId", "openai/slow-route-delay3000"},
                                              {"fallbackModelIds", json::array{"openai/router-route"}},
                                              {"timeoutMs", 300}});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count();
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.error.find("timed out after 300 ms"), std::string::npos) << out.error;
  EXPECT_LT(ms, 2000);
}

TEST_F(PolicyCallsTest, LlmWithoutRoutingModelFails) {
  auto out = run(run_llm_policy, json::object{});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, "llm policy: routingModelId is required");
}

TEST_F(PolicyCallsTest, MemoryIsRecordedAndRecalled) {
  call_.conversation_id = "conv-" + std::to_string(clock::now_ms());
  remember_routed_model(call_, json::object{{"memory", true}}, "openai/b");
  remember_routed_model(call_, json::object{{"memory", false}}, "openai/c");  // memory off: not stored
  EXPECT_EQ(routing_memory().recent("p1", call_.conversation_id, 5, clock::now_ms()),
            (std::vector<std::string>{"openai/b"}));
}

TEST_F(PolicyCallsTest, SemanticConfidentKeepsIntentPool) {
  json::object config{
      {"embedding_provider", "openai"},
      {"embedding_model", "openai/emb"},
      {"intents", json::object{{"code", json::object{{"examples", json::array{"fix my code"}},
                                                     {"candidate_models", json::array{"openai/a"}}}},
                               {"chat", json::object{{"examples", json::array{"hello there"}},
                                                     {"candidate_models", json::array{"openai/b"}}}}}}};
  auto out = run(run_semantic_intent_policy, config);
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(out.excludes, (std::vector<std::string>{"openai/b", "openai/c"}));
  EXPECT_DOUBLE_EQ(point_of(out, "openai/a"), 1.0);
  auto m = messages(out);
  ASSERT_EQ(m, (std::vector<std::string>{"policy:semantic-intent:classification",
                                         "policy:semantic-intent:result"}));
  const json::object& details = out.trace[0].as_object().at("details").as_object();
  EXPECT_EQ(details.at("status").as_string(), "confident");
  EXPECT_EQ(details.at("topIntent").as_string(), "code");
  writer_->flush();
  auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].call_type, "routing");
  EXPECT_EQ(r[0].model_id, "openai/emb");
  EXPECT_GT(r[0].input_tokens, 0);
  // The centroids are cached now: a second run embeds only the request.
  auto again = run(run_semantic_intent_policy, config);
  EXPECT_EQ(again.excludes, out.excludes);
}

TEST_F(PolicyCallsTest, SemanticEmbeddingFailurePassesEverything) {
  json::object config{
      {"embedding_provider", "openai"},
      {"embedding_model", "raw-embedding"},
      {"embedding_endpoint", "http://127.0.0.1:9/v1"},
      {"intents", json::object{{"code", json::object{{"examples", json::array{"x"}},
                                                     {"candidate_models", json::array{"openai/a"}}}}}}};
  auto out = run(run_semantic_intent_policy, config);
  ASSERT_TRUE(out.ok);
  EXPECT_TRUE(out.excludes.empty());
  ASSERT_EQ(out.routing.size(), 3u);
  for (const auto& p : out.routing) EXPECT_EQ(p.point, 1.0);
  EXPECT_EQ(messages(out), (std::vector<std::string>{"policy:semantic-intent:error"}));
}

TEST_F(PolicyCallsTest, SemanticMisconfigured) {
  auto out = run(run_semantic_intent_policy, json::object{{"embedding_model", "x"}});
  ASSERT_TRUE(out.ok);
  EXPECT_TRUE(out.excludes.empty());
  EXPECT_EQ(messages(out), (std::vector<std::string>{"policy:semantic-intent:misconfigured"}));
}

}  // namespace
}  // namespace routerly::gateway
