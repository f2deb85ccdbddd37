#pragma once
// The management-API client the commands use: picks the saved account (--alias or the current
// one), refreshes its access token silently when it is about to expire, and turns error replies
// into the server's message.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/credentials.hpp"
#include "common/error.hpp"

namespace routerly::cli {

struct GlobalOptions {
  std::string url;    // overrides the account's server URL
  std::string alias;  // selects a saved account instead of the current one
  bool json = false;  // machine output
};

// A token whose `exp` is closer than this is refreshed before use.
inline constexpr std::int64_t kRefreshMarginSeconds = 300;

// The server's `message` of an error reply (or a generic text naming the status).
std::string error_message(long status, const std::string& body);

// Removes trailing slashes so paths can be appended.
std::string normalise_url(std::string url);

// Exchanges the account's refresh token for a new session and updates the account in place.
Result<void> refresh_account(Account& account);

// Stores a session reply (`{token, expiresIn, refreshToken, user}`) into the account.
void apply_session(Account& account, const boost::json::value& session);

class Api {
 public:
  explicit Api(const GlobalOptions& options) : options_(options) {}

  // Calls the API as the selected account; the parsed JSON reply (null for 204).
  Result<boost::json::value> call(std::string_view method, const std::string& path,
                                  const boost::json::value* body = nullptr);

  // The selected account after a successful call (or select()).
  Result<Account*> select();
  Credentials& credentials() { return credentials_; }

 private:
  Result<void> ensure_fresh(Account& account);

  GlobalOptions options_;
  Credentials credentials_;
  bool loaded_ = false;
};

// Calls without an account (login, setup status). The parsed JSON reply.
Result<boost::json::value> call_anonymous(std::string_view method, const std::string& url,
                                          const boost::json::value* body = nullptr);

// Percent-encodes a path segment or query value.
std::string url_encode(std::string_view text);

}  // namespace routerly::cli
