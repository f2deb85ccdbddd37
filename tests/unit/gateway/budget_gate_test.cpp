#include "gateway/budget_gate.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace routerly::gateway {
namespace {

namespace json = boost::json;

json::object body(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(BudgetGate, OutputCapIsReadFromEachRoutesOwnField) {
  EXPECT_EQ(requested_output_cap(Api::chat, body(R"({"max_tokens":7})")), 7);
  EXPECT_EQ(requested_output_cap(Api::chat, body(R"({"max_completion_tokens":9})")), 9);
  EXPECT_EQ(requested_output_cap(Api::chat, body(R"({"max_tokens":7,"max_completion_tokens":9})")), 9);
  EXPECT_EQ(requested_output_cap(Api::messages, body(R"({"max_tokens":1024})")), 1024);
  EXPECT_EQ(requested_output_cap(Api::messages, body(R"({"max_output_tokens":50})")), 0);
  EXPECT_EQ(requested_output_cap(Api::responses, body(R"({"max_output_tokens":50})")), 50);
  EXPECT_EQ(requested_output_cap(Api::responses, body(R"({"max_tokens":60})")), 60);
  EXPECT_EQ(requested_output_cap(Api::responses, body(R"({"max_completion_tokens":60})")), 0);
}

TEST(BudgetGate, NoOrUnusableCapReservesNoOutput) {
  for (Api api : {Api::chat, Api::messages, Api::responses}) {
    EXPECT_EQ(requested_output_cap(api, body(R"({})")), 0);
    EXPECT_EQ(requested_output_cap(api, body(R"({"max_tokens":null,"max_output_tokens":"9"})")), 0);
    EXPECT_EQ(requested_output_cap(api, body(R"({"max_tokens":-5,"max_output_tokens":0})")), 0);
  }
}

TEST(BudgetGate, ReservationHoldsInputOutputAndTheirCost) {
  const json::object model{{"id", "m"},
                           {"cost", json::object{{"inputPerMillion", 2.0}, {"outputPerMillion", 8.0}}}};
  Candidate candidate;
  candidate.target.model_id = "m";
  candidate.model = &model;
  Call call;
  call.api = Api::chat;
  call.input_chars = 400;  // 100 estimated input tokens
  call.body = body(R"({"max_tokens":7})");
  budget::Ledger::Estimate e = reservation_estimate(call, candidate);
  EXPECT_EQ(e.input_tokens, 100);
  EXPECT_EQ(e.output_tokens, 7);
  EXPECT_DOUBLE_EQ(e.cost, (100 * 2.0 + 7 * 8.0) / 1e6);

  call.body = body(R"({})");  // no cap: nothing reserved for output
  e = reservation_estimate(call, candidate);
  EXPECT_EQ(e.output_tokens, 0);
  EXPECT_DOUBLE_EQ(e.cost, 100 * 2.0 / 1e6);
}

}  // namespace
}  // namespace routerly::gateway
