#include "gateway/replies.hpp"

#include <gtest/gtest.h>

namespace routerly::gateway {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

TEST(RetryHints, BudgetExceededIsFutileWithTheEarliestReopening) {
  RefusalFacts facts;
  facts.budget_reopens_ms = {kNow + 90'500, kNow + 30'001};
  RetryHint hint = retry_hint(Error{ErrorCode::budget_exceeded, "x"}, facts, kNow);
  EXPECT_TRUE(hint.futile);
  ASSERT_TRUE(hint.after_seconds);
  EXPECT_EQ(*hint.after_seconds, 31);  // rounded up

  http::Response response;
  set_retry_headers(response, hint);
  EXPECT_EQ(response.header("x-should-retry"), "false");
  EXPECT_EQ(response.header("retry-after"), "31");
}

TEST(RetryHints, BudgetReopeningUnknownOrPastADayHasNoRetryAfter) {
  RefusalFacts facts;
  facts.budget_reopens_ms = {kNow + 1000, 0};  // one candidate held by calls in flight
  RetryHint hint = retry_hint(Error{ErrorCode::budget_exceeded, "x"}, facts, kNow);
  EXPECT_TRUE(hint.futile);
  EXPECT_FALSE(hint.after_seconds);

  facts.budget_reopens_ms = {kNow + 24 * 3600 * 1000 + 1};
  EXPECT_FALSE(retry_hint(Error{ErrorCode::budget_exceeded, "x"}, facts, kNow).after_seconds);
  facts.budget_reopens_ms = {kNow + 24 * 3600 * 1000};
  EXPECT_EQ(retry_hint(Error{ErrorCode::budget_exceeded, "x"}, facts, kNow).after_seconds.value_or(-1),
            86400);
  EXPECT_FALSE(retry_hint(Error{ErrorCode::budget_exceeded, "x"}, RefusalFacts{}, kNow).after_seconds);
}

TEST(RetryHints, NoModelAvailableIsFutileOnlyForTheRequestsOwnReasons) {
  RefusalFacts facts;
  EXPECT_FALSE(
      retry_hint(Error{ErrorCode::no_model_available, "x"}, facts, kNow).futile);  // upstream failures
  facts.request_bound = true;
  EXPECT_TRUE(retry_hint(Error{ErrorCode::no_model_available, "x"}, facts, kNow).futile);
  EXPECT_FALSE(retry_hint(Error{ErrorCode::no_model_available, "x"}, facts, kNow).after_seconds);
}

TEST(RetryHints, OtherErrorsSayNothing) {
  RefusalFacts facts;
  facts.request_bound = true;
  facts.budget_reopens_ms = {kNow + 1000};
  for (ErrorCode code :
       {ErrorCode::validation_error, ErrorCode::upstream_error, ErrorCode::upstream_timeout}) {
    RetryHint hint = retry_hint(Error{code, "x"}, facts, kNow);
    EXPECT_FALSE(hint.futile);
    EXPECT_FALSE(hint.after_seconds);
    http::Response response;
    set_retry_headers(response, hint);
    EXPECT_EQ(response.header("x-should-retry"), "");
    EXPECT_EQ(response.header("retry-after"), "");
  }
}

}  // namespace
}  // namespace routerly::gateway
