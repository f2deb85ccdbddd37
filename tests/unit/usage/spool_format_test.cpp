#include "usage/spool_format.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace {

using namespace routerly;
namespace sf = usage::spool_format;

store::UsageRow full_row() {
  store::UsageRow r;
  r.id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  r.timestamp_ms = 1'767'225'600'123;
  r.project_id = "p-1";
  r.project_slug = "my-app";
  r.token_id = "tok-9";
  r.model_id = "openai/gpt-4o";
  r.provider = "openai";
  r.type = "responses";
  r.call_type = "routing";
  r.input_tokens = 1234;
  r.output_tokens = 56;
  r.cached_input_tokens = 7;
  r.cache_creation_input_tokens = 8;
  r.tokens_estimated = true;
  r.cost = 0.1 + 0.2;  // not exactly representable in few digits: must survive unchanged
  r.cost_input = 1e-9;
  r.cost_output = 123456.789;
  r.price_input = 2.5;
  r.price_output = 10;
  r.latency_ms = 4321;
  r.ttft_ms = 99;
  r.stream = true;
  r.outcome = "timeout";
  r.error_message = "timeout after 30000 ms — \"quoted\"\n";
  r.trace_id = "trace-1";
  r.trace = boost::json::parse(R"([{"panel":"request","message":"model:request","details":{"a":[1,2.5,null]}}])")
                .as_array();
  return r;
}

void expect_same(const store::UsageRow& a, const store::UsageRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.timestamp_ms, b.timestamp_ms);
  EXPECT_EQ(a.project_id, b.project_id);
  EXPECT_EQ(a.project_slug, b.project_slug);
  EXPECT_EQ(a.token_id, b.token_id);
  EXPECT_EQ(a.model_id, b.model_id);
  EXPECT_EQ(a.provider, b.provider);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.call_type, b.call_type);
  EXPECT_EQ(a.input_tokens, b.input_tokens);
  EXPECT_EQ(a.output_tokens, b.output_tokens);
  EXPECT_EQ(a.cached_input_tokens, b.cached_input_tokens);
  EXPECT_EQ(a.cache_creation_input_tokens, b.cache_creation_input_tokens);
  EXPECT_EQ(a.tokens_estimated, b.tokens_estimated);
  EXPECT_EQ(a.cost, b.cost);
  EXPECT_EQ(a.cost_input, b.cost_input);
  EXPECT_EQ(a.cost_output, b.cost_output);
  EXPECT_EQ(a.price_input, b.price_input);
  EXPECT_EQ(a.price_output, b.price_output);
  EXPECT_EQ(a.latency_ms, b.latency_ms);
  EXPECT_EQ(a.ttft_ms, b.ttft_ms);
  EXPECT_EQ(a.stream, b.stream);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.error_message, b.error_message);
  EXPECT_EQ(a.trace_id, b.trace_id);
  EXPECT_EQ(a.trace, b.trace);
}

std::string framed(std::initializer_list<std::string_view> payloads) {
  std::string out;
  for (auto p : payloads) sf::append_frame(out, p);
  return out;
}

TEST(SpoolFormat, RowRoundTripsEveryField) {
  const store::UsageRow row = full_row();
  auto back = sf::decode_row(sf::encode_row(row));
  ASSERT_TRUE(back) << back.error().message;
  expect_same(row, *back);

  store::UsageRow plain;  // defaults, no ttft
  plain.id = "x";
  auto plain_back = sf::decode_row(sf::encode_row(plain));
  ASSERT_TRUE(plain_back);
  expect_same(plain, *plain_back);
  EXPECT_FALSE(plain_back->ttft_ms.has_value());
}

TEST(SpoolFormat, DecodeRefusesWhatIsNoRow) {
  EXPECT_FALSE(sf::decode_row("not json"));
  EXPECT_FALSE(sf::decode_row("[1,2]"));
  EXPECT_FALSE(sf::decode_row(R"({"timestampMs":1})"));  // no id
  auto later = sf::decode_row(R"({"id":"a","someFutureField":3})");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->id, "a");
}

TEST(SpoolFormat, ScanReadsRecordsInOrder) {
  const std::string bytes = framed({"one", "", "three", std::string(70000, 'x')});
  sf::Scan scan = sf::scan(bytes);
  ASSERT_EQ(scan.payloads.size(), 4u);
  EXPECT_EQ(scan.payloads[0], "one");
  EXPECT_EQ(scan.payloads[1], "");
  EXPECT_EQ(scan.payloads[2], "three");
  EXPECT_EQ(scan.payloads[3].size(), 70000u);
  EXPECT_EQ(scan.damaged_records, 0u);
  EXPECT_EQ(scan.torn_tail_bytes, 0u);
  EXPECT_TRUE(sf::scan("").payloads.empty());
}

TEST(SpoolFormat, TornLastRecordIsSkippedAtEveryCut) {
  const std::string whole = framed({"first", "second", "the last record"});
  const std::size_t last_start = framed({"first", "second"}).size();
  for (std::size_t cut = last_start + 1; cut < whole.size(); ++cut) {
    sf::Scan scan = sf::scan(std::string_view(whole).substr(0, cut));
    ASSERT_EQ(scan.payloads.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(scan.payloads[1], "second");
    EXPECT_EQ(scan.torn_tail_bytes, cut - last_start) << "cut at " << cut;
    EXPECT_EQ(scan.damaged_records, 0u);
  }
}

TEST(SpoolFormat, ChecksumMismatchSkipsOnlyThatRecord) {
  std::string bytes = framed({"alpha", "bravo", "charlie"});
  const std::size_t bravo = framed({"alpha"}).size() + sf::kHeaderBytes;
  bytes[bravo + 2] ^= 0x01;  // "brbvo": same length, wrong checksum
  sf::Scan scan = sf::scan(bytes);
  ASSERT_EQ(scan.payloads.size(), 2u);
  EXPECT_EQ(scan.payloads[0], "alpha");
  EXPECT_EQ(scan.payloads[1], "charlie");
  EXPECT_EQ(scan.damaged_records, 1u);
  EXPECT_EQ(scan.damaged_bytes, sf::kHeaderBytes + 5);
  EXPECT_EQ(scan.torn_tail_bytes, 0u);
}

TEST(SpoolFormat, DamagedLengthFieldResynchronisesOnTheNextRecord) {
  std::string bytes = framed({"alpha", "bravo", "charlie"});
  const std::size_t bravo_header = framed({"alpha"}).size();
  bytes[bravo_header + 4] = '\x7F';  // length 127: reaches into charlie, checksum fails
  sf::Scan scan = sf::scan(bytes);
  ASSERT_EQ(scan.payloads.size(), 2u);
  EXPECT_EQ(scan.payloads[1], "charlie");
  EXPECT_EQ(scan.damaged_records, 1u);
}

TEST(SpoolFormat, GarbageAfterTheLastRecordCountsAsTornTail) {
  std::string bytes = framed({"alpha"}) + std::string("\xFF\xFE", 2) + "UR" + std::string(3, '\0');
  sf::Scan scan = sf::scan(bytes);
  ASSERT_EQ(scan.payloads.size(), 1u);
  EXPECT_EQ(scan.torn_tail_bytes, 7u);
}

}  // namespace
