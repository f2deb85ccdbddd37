#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends.hpp"
#include "store/store.hpp"

namespace {

using namespace routerly;

class SessionsTest : public StoreContract {
 protected:
  void create(const std::string& id, const std::string& user, const std::string& refresh_hash) {
    auto ok = store_->create_session(store::Session{id, user, 1000, 1000, false}, refresh_hash);
    ASSERT_TRUE(ok) << ok.error().message;
  }

  store::Session session(const std::string& id) {
    auto found = store_->get_session(id);
    EXPECT_TRUE(found && found->has_value());
    return found && *found ? **found : store::Session{};
  }
};

TEST_P(SessionsTest, CreateAndGet) {
  create("s1", "u1", "h1");
  auto s = session("s1");
  EXPECT_EQ(s.id, "s1");
  EXPECT_EQ(s.user_id, "u1");
  EXPECT_EQ(s.created_ms, 1000);
  EXPECT_EQ(s.last_used_ms, 1000);
  EXPECT_FALSE(s.revoked);
  auto missing = store_->get_session("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(SessionsTest, DuplicateSessionIdFails) {
  create("s1", "u1", "h1");
  EXPECT_FALSE(store_->create_session(store::Session{"s1", "u2", 1, 1, false}, "h2"));
  // The failed create left no refresh token behind.
  auto lookup = store_->find_refresh("h2");
  ASSERT_TRUE(lookup);
  EXPECT_FALSE(lookup->has_value());
}

TEST_P(SessionsTest, FindRefreshReturnsSession) {
  create("s1", "u1", "h1");
  auto lookup = store_->find_refresh("h1");
  ASSERT_TRUE(lookup);
  ASSERT_TRUE(lookup->has_value());
  EXPECT_EQ((*lookup)->session.id, "s1");
  EXPECT_EQ((*lookup)->session.user_id, "u1");
  EXPECT_FALSE((*lookup)->superseded);
  auto unknown = store_->find_refresh("other");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(SessionsTest, RotationSupersedesOldAndUpdatesLastUsed) {
  create("s1", "u1", "h1");
  auto rotated = store_->rotate_refresh("s1", "h1", "h2", 5000);
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(*rotated);

  auto old_lookup = store_->find_refresh("h1");
  ASSERT_TRUE(old_lookup && old_lookup->has_value());
  EXPECT_TRUE((*old_lookup)->superseded);  // reuse is detectable
  auto new_lookup = store_->find_refresh("h2");
  ASSERT_TRUE(new_lookup && new_lookup->has_value());
  EXPECT_FALSE((*new_lookup)->superseded);
  EXPECT_EQ(session("s1").last_used_ms, 5000);
  EXPECT_EQ(session("s1").created_ms, 1000);
}

TEST_P(SessionsTest, RotationWithStaleTokenChangesNothing) {
  create("s1", "u1", "h1");
  ASSERT_TRUE(*store_->rotate_refresh("s1", "h1", "h2", 5000));
  // A second rotation with the same (now superseded) old token loses.
  auto again = store_->rotate_refresh("s1", "h1", "h3", 6000);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto h3 = store_->find_refresh("h3");
  ASSERT_TRUE(h3);
  EXPECT_FALSE(h3->has_value());
  EXPECT_EQ(session("s1").last_used_ms, 5000);
  // The current token still rotates.
  EXPECT_TRUE(*store_->rotate_refresh("s1", "h2", "h3", 7000));
}

TEST_P(SessionsTest, RotationRequiresTokenOfThatSession) {
  create("s1", "u1", "h1");
  create("s2", "u1", "g1");
  auto crossed = store_->rotate_refresh("s2", "h1", "x", 5000);
  ASSERT_TRUE(crossed);
  EXPECT_FALSE(*crossed);
  auto h1 = store_->find_refresh("h1");
  EXPECT_FALSE((*h1)->superseded);
}

TEST_P(SessionsTest, RevokedSessionDoesNotRotate) {
  create("s1", "u1", "h1");
  ASSERT_TRUE(store_->revoke_session("s1"));
  EXPECT_TRUE(session("s1").revoked);
  auto rotated = store_->rotate_refresh("s1", "h1", "h2", 5000);
  ASSERT_TRUE(rotated);
  EXPECT_FALSE(*rotated);
  auto lookup = store_->find_refresh("h1");
  ASSERT_TRUE(lookup && lookup->has_value());
  EXPECT_TRUE((*lookup)->session.revoked);
}

TEST_P(SessionsTest, RevokeUserSessionsKeepsOne) {
  create("a", "u1", "ha");
  create("b", "u1", "hb");
  create("c", "u1", "hc");
  create("other", "u2", "ho");
  ASSERT_TRUE(store_->revoke_user_sessions("u1", "b"));
  EXPECT_TRUE(session("a").revoked);
  EXPECT_FALSE(session("b").revoked);
  EXPECT_TRUE(session("c").revoked);
  EXPECT_FALSE(session("other").revoked);
  ASSERT_TRUE(store_->revoke_user_sessions("u1", ""));
  EXPECT_TRUE(session("b").revoked);
  EXPECT_FALSE(session("other").revoked);
}

TEST_P(SessionsTest, DuplicateRefreshHashOnRotationFailsAtomically) {
  create("s1", "u1", "h1");
  create("s2", "u2", "taken");
  auto rotated = store_->rotate_refresh("s1", "h1", "taken", 5000);
  EXPECT_FALSE(rotated);  // store error: the hash already exists
  auto h1 = store_->find_refresh("h1");
  ASSERT_TRUE(h1 && h1->has_value());
  EXPECT_FALSE((*h1)->superseded);  // rolled back
  EXPECT_EQ(session("s1").last_used_ms, 1000);
}

}  // namespace

namespace {

TEST_P(SessionsTest, ConcurrentRotationsHaveExactlyOneWinner) {
  create("s1", "u1", "h1");
  std::atomic<int> winners{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto rotated = store_->rotate_refresh("s1", "h1", "next-" + std::to_string(i), 2000 + i);
      if (!rotated) {
        ++errors;
      } else if (*rotated) {
        ++winners;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(winners.load(), 1);
}

INSTANTIATE_FOR_EACH_BACKEND(SessionsTest);

}  // namespace
