#include "metrics/registry.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

#include "metrics/family.hpp"
#include "metrics/text_format.hpp"

namespace routerly::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

// The value of the first sample line starting with `prefix ` (name + labels), or -1.
double sample(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.size() > prefix.size() && l.compare(0, prefix.size(), prefix) == 0 && l[prefix.size()] == ' ') {
      return std::stod(l.substr(prefix.size() + 1));
    }
  }
  return -1;
}

store::UsageRow row() {
  store::UsageRow r;
  r.project_id = "p-1";
  r.project_slug = "my-app";
  r.model_id = "openai/gpt-4o";
  r.provider = "openai";
  r.input_tokens = 100;
  r.output_tokens = 20;
  r.cached_input_tokens = 40;
  r.cost = 0.00125;
  r.latency_ms = 1200;
  r.ttft_ms = 300;
  return r;
}

TEST(TextFormat, EscapesLabelValuesAndHelp) {
  std::string out;
  append_label_value(out, "a\\b\"c\nd");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd");
  out.clear();
  append_help(out, "x\\y\n\"z\"");
  EXPECT_EQ(out, "x\\\\y\\n\"z\"");
}

TEST(TextFormat, Numbers) {
  std::string out;
  append_number(out, 0.1);
  out += ' ';
  append_number(out, 3);
  out += ' ';
  append_number(out, std::numeric_limits<double>::infinity());
  out += ' ';
  append_number(out, -std::numeric_limits<double>::infinity());
  out += ' ';
  append_number(out, std::numeric_limits<double>::quiet_NaN());
  out += ' ';
  append_number(out, 0.0005);
  out += ' ';
  append_number(out, 1e-9);
  EXPECT_EQ(out, "0.1 3 +Inf -Inf NaN 0.0005 1e-09");
}

TEST(Registry, RendersEveryFamilyWithHelpAndType) {
  Registry r;
  std::string text = r.render();
  for (const char* name :
       {"routerly_http_requests_total counter", "routerly_http_request_duration_seconds histogram",
        "routerly_proxy_requests_total counter", "routerly_proxy_latency_seconds histogram",
        "routerly_proxy_ttft_seconds histogram", "routerly_tokens_total counter",
        "routerly_cost_usd_total counter", "routerly_upstream_errors_total counter",
        "routerly_budget_blocks_total counter", "routerly_streams_in_flight gauge",
        "routerly_build_info gauge"}) {
    EXPECT_TRUE(has_line(text, std::string("# TYPE ") + name)) << name;
  }
  EXPECT_NE(text.find("# HELP routerly_tokens_total "), std::string::npos);
  EXPECT_TRUE(has_line(text, "routerly_streams_in_flight 0"));
  EXPECT_TRUE(has_line(text, std::string("routerly_build_info{version=\"") + ROUTERLY_VERSION + "\"} 1"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(Registry, UsageWriterFamiliesStartAtZeroAndFollowTheWriter) {
  Registry r;
  std::string text = r.render();
  EXPECT_TRUE(has_line(text, "# TYPE routerly_usage_queue_depth gauge"));
  EXPECT_TRUE(has_line(text, "# TYPE routerly_usage_spooled_total counter"));
  EXPECT_TRUE(has_line(text, "# TYPE routerly_usage_dropped_total counter"));
  EXPECT_TRUE(has_line(text, "routerly_usage_queue_depth 0"));
  EXPECT_TRUE(has_line(text, "routerly_usage_spooled_total 0"));
  EXPECT_TRUE(has_line(text, "routerly_usage_dropped_total 0"));

  r.usage_queue_changed(5);
  r.usage_queue_changed(-3);
  r.usage_spooled(7);
  r.usage_spooled(1);
  r.usage_dropped(2);
  text = r.render();
  EXPECT_EQ(sample(text, "routerly_usage_queue_depth"), 2);
  EXPECT_EQ(sample(text, "routerly_usage_spooled_total"), 8);
  EXPECT_EQ(sample(text, "routerly_usage_dropped_total"), 2);
}

TEST(Registry, HttpCountersAndCumulativeHistogram) {
  Registry r;
  r.observe_http("proxy", 200, 0.0004);
  r.observe_http("proxy", 200, 0.003);
  r.observe_http("proxy", 200, 0.003);
  r.observe_http("proxy", 503, 42);   // beyond the last bucket
  r.observe_http("api", 404, 0.001);  // exactly on a bound: le is inclusive
  std::string text = r.render();
  EXPECT_EQ(sample(text, "routerly_http_requests_total{route=\"proxy\",status=\"200\"}"), 3);
  EXPECT_EQ(sample(text, "routerly_http_requests_total{route=\"proxy\",status=\"503\"}"), 1);
  const std::string h = "routerly_http_request_duration_seconds";
  EXPECT_EQ(sample(text, h + "_bucket{route=\"proxy\",le=\"0.0005\"}"), 1);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"proxy\",le=\"0.001\"}"), 1);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"proxy\",le=\"0.005\"}"), 3);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"proxy\",le=\"10\"}"), 3);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"proxy\",le=\"+Inf\"}"), 4);
  EXPECT_EQ(sample(text, h + "_count{route=\"proxy\"}"), 4);
  EXPECT_NEAR(sample(text, h + "_sum{route=\"proxy\"}"), 42.0064, 1e-9);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"api\",le=\"0.0005\"}"), 0);
  EXPECT_EQ(sample(text, h + "_bucket{route=\"api\",le=\"0.001\"}"), 1);

  // Buckets never decrease along a series.
  std::istringstream in(text);
  double last = -1;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(h + "_bucket{route=\"proxy\"", 0) != 0) continue;
    double v = std::stod(l.substr(l.rfind(' ') + 1));
    EXPECT_GE(v, last) << l;
    last = v;
  }
}

TEST(Registry, UsageRowFeedsRequestsTokensCostLatency) {
  Registry r;
  r.observe_usage(row());
  store::UsageRow failed = row();
  failed.outcome = "timeout";
  failed.input_tokens = failed.output_tokens = failed.cached_input_tokens = 0;
  failed.cost = 0;
  failed.ttft_ms.reset();
  r.observe_usage(failed);
  store::UsageRow blocked = row();
  blocked.outcome = "budget_exceeded";
  blocked.project_slug.clear();  // falls back to the id
  blocked.input_tokens = blocked.output_tokens = blocked.cached_input_tokens = 0;
  blocked.cost = 0;
  r.observe_usage(blocked);
  std::string text = r.render();
  const std::string labels = "project=\"my-app\",model=\"openai/gpt-4o\",provider=\"openai\"";
  EXPECT_EQ(sample(text, "routerly_proxy_requests_total{" + labels + ",outcome=\"success\"}"), 1);
  EXPECT_EQ(sample(text, "routerly_proxy_requests_total{" + labels + ",outcome=\"timeout\"}"), 1);
  EXPECT_EQ(
      sample(text,
             "routerly_proxy_requests_total{project=\"p-1\",model=\"openai/gpt-4o\",provider=\"openai\","
             "outcome=\"budget_exceeded\"}"),
      1);
  EXPECT_EQ(
      sample(text, "routerly_tokens_total{project=\"my-app\",model=\"openai/gpt-4o\",direction=\"input\"}"),
      100);
  EXPECT_EQ(
      sample(text, "routerly_tokens_total{project=\"my-app\",model=\"openai/gpt-4o\",direction=\"output\"}"),
      20);
  EXPECT_EQ(
      sample(text, "routerly_tokens_total{project=\"my-app\",model=\"openai/gpt-4o\",direction=\"cached\"}"),
      40);
  EXPECT_EQ(text.find("direction=\"cache_creation\""), std::string::npos);  // zero counts add no series
  EXPECT_DOUBLE_EQ(sample(text, "routerly_cost_usd_total{project=\"my-app\",model=\"openai/gpt-4o\"}"),
                   0.00125);
  // Latency observed for the two upstream calls, not for the budget block; ttft only when known.
  EXPECT_EQ(sample(text, "routerly_proxy_latency_seconds_count{provider=\"openai\"}"), 2);
  EXPECT_EQ(sample(text, "routerly_proxy_latency_seconds_bucket{provider=\"openai\",le=\"1\"}"), 0);
  EXPECT_EQ(sample(text, "routerly_proxy_latency_seconds_bucket{provider=\"openai\",le=\"2.5\"}"), 2);
  EXPECT_EQ(sample(text, "routerly_proxy_ttft_seconds_count{provider=\"openai\"}"), 1);
  EXPECT_EQ(sample(text, "routerly_proxy_ttft_seconds_bucket{provider=\"openai\",le=\"0.25\"}"), 0);
  EXPECT_EQ(sample(text, "routerly_proxy_ttft_seconds_bucket{provider=\"openai\",le=\"0.5\"}"), 1);
}

TEST(Registry, ErrorsBudgetsStreamsAndEscapedLabels) {
  Registry r;
  r.upstream_error("anthropic", "timeout");
  r.upstream_error("anthropic", "timeout");
  r.upstream_error("openai", "http_503");
  r.budget_block("team \"a\"\\x\ny");
  r.stream_started();
  r.stream_started();
  r.stream_finished();
  std::string text = r.render();
  EXPECT_EQ(sample(text, "routerly_upstream_errors_total{provider=\"anthropic\",kind=\"timeout\"}"), 2);
  EXPECT_EQ(sample(text, "routerly_upstream_errors_total{provider=\"openai\",kind=\"http_503\"}"), 1);
  EXPECT_TRUE(has_line(text, "routerly_budget_blocks_total{project=\"team \\\"a\\\"\\\\x\\ny\"} 1"));
  EXPECT_TRUE(has_line(text, "routerly_streams_in_flight 1"));
  // Series of a family render sorted, so scrapes are stable.
  EXPECT_LT(text.find("provider=\"anthropic\",kind"), text.find("provider=\"openai\",kind"));
}

TEST(Family, CountersIgnoreNegativeDeltasAndLabelsDoNotCollide) {
  Family f({"t_total", "t", Type::counter, {"a", "b"}, {}});
  f.add({"x", "yz"}, 1);
  f.add({"xy", "z"}, 2);  // same concatenation, different tuple
  f.add({"x", "yz"}, -5);
  std::string out;
  f.render(out);
  EXPECT_TRUE(has_line(out, "t_total{a=\"x\",b=\"yz\"} 1"));
  EXPECT_TRUE(has_line(out, "t_total{a=\"xy\",b=\"z\"} 2"));
}

TEST(Registry, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  constexpr int kThreads = 8, kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&r, t] {
      std::string route = "r" + std::to_string(t % 3);  // some shared, some new series
      for (int i = 0; i < kPerThread; ++i) {
        r.observe_http(route, 200, 0.002);
        r.upstream_error("p", "network");
        r.stream_started();
        r.stream_finished();
        if (i % 1000 == 0) (void)r.render();  // scrapes while writers run
      }
    });
  }
  for (auto& th : threads) th.join();
  std::string text = r.render();
  double total = 0;
  for (int i = 0; i < 3; ++i) {
    total +=
        sample(text, "routerly_http_requests_total{route=\"r" + std::to_string(i) + "\",status=\"200\"}");
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(sample(text, "routerly_upstream_errors_total{provider=\"p\",kind=\"network\"}"),
            kThreads * kPerThread);
  EXPECT_TRUE(has_line(text, "routerly_streams_in_flight 0"));
}

TEST(Registry, InstanceIsShared) {
  EXPECT_EQ(&Registry::instance(), &Registry::instance());
}

}  // namespace
}  // namespace routerly::metrics
