#include "cli/api.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <chrono>

#include "cli/http_client.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<json::value> parse_reply(const HttpReply& reply) {
  if (reply.status < 200 || reply.status >= 300) {
    ErrorCode code = reply.status == 401 ? ErrorCode::unauthorized : ErrorCode::validation_error;
    return fail(code, error_message(reply.status, reply.body));
  }
  if (reply.body.empty()) return json::value(nullptr);
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (ec) return fail(ErrorCode::internal_error, "the server sent a reply that is not JSON");
  return v;
}

Result<json::value> send(std::string_view method, const std::string& url, const json::value* body,
                         const std::string& bearer) {
  std::string text;
  if (body) text = json::serialize(*body);
  auto reply = http_request(method, url, body ? &text : nullptr, bearer);
  if (!reply) return std::unexpected(reply.error());
  return parse_reply(*reply);
}

}  // namespace

std::string error_message(long status, const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    if (const auto* m = v.as_object().if_contains("message"); m && m->is_string())
      return std::string(m->as_string());
    if (const auto* e = v.as_object().if_contains("error"); e && e->is_object()) {
      if (const auto* m = e->as_object().if_contains("message"); m && m->is_string())
        return std::string(m->as_string());
    }
  }
  return "the server answered HTTP " + std::to_string(status);
}

std::string normalise_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void apply_session(Account& account, const json::value& session) {
  if (!session.is_object()) return;
  const auto& o = session.as_object();
  if (const auto* t = o.if_contains("token"); t && t->is_string())
    account.token = std::string(t->as_string());
  if (const auto* r = o.if_contains("refreshToken"); r && r->is_string()) {
    account.refresh_token = std::string(r->as_string());
  }
  if (auto exp = jwt_expiry_seconds(account.token)) {
    account.expires_at_ms = *exp * 1000;
  } else if (const auto* e = o.if_contains("expiresIn"); e && e->is_number()) {
    account.expires_at_ms = (now_seconds() + e->to_number<std::int64_t>()) * 1000;
  }
  if (const auto* u = o.if_contains("user"); u && u->is_object()) {
    const auto& user = u->as_object();
    if (const auto* em = user.if_contains("email"); em && em->is_string())
      account.email = std::string(em->as_string());
    if (const auto* ro = user.if_contains("role"); ro && ro->is_string())
      account.role = std::string(ro->as_string());
  }
}

Result<void> refresh_account(Account& account) {
  if (account.refresh_token.empty()) {
    return fail(ErrorCode::unauthorized, "the session has expired; run `routerly auth login`");
  }
  json::value body = json::object{{"refreshToken", account.refresh_token}};
  auto session = send("POST", normalise_url(account.server_url) + "/api/auth/refresh", &body, "");
  if (!session) {
    // Any refusal (as opposed to an unreachable server) means the saved session is over.
    if (session.error().code == ErrorCode::upstream_error ||
        session.error().code == ErrorCode::internal_error) {
      return std::unexpected(session.error());
    }
    return fail(ErrorCode::unauthorized,
                "the session has expired (" + session.error().message + "); run `routerly auth login`");
  }
  apply_session(account, *session);
  return {};
}

Result<Account*> Api::select() {
  if (!loaded_) {
    auto loaded = load_credentials();
    if (!loaded) return std::unexpected(loaded.error());
    credentials_ = std::move(*loaded);
    loaded_ = true;
  }
  const std::string alias = options_.alias.empty() ? credentials_.current_alias : options_.alias;
  Account* account = alias.empty() ? nullptr : credentials_.find(alias);
  if (!account) {
    if (!options_.alias.empty()) return fail(ErrorCode::not_found, "no saved account named '" + alias + "'");
    return fail(ErrorCode::unauthorized, "not logged in; run `routerly auth login`");
  }
  if (!options_.url.empty()) account->server_url = normalise_url(options_.url);
  return account;
}

Result<void> Api::ensure_fresh(Account& account) {
  const auto exp = jwt_expiry_seconds(account.token);
  if (exp && *exp - now_seconds() > kRefreshMarginSeconds) return {};
  auto refreshed = refresh_account(account);
  if (!refreshed) return refreshed;
  return save_credentials(credentials_);
}

Result<json::value> Api::call(std::string_view method, const std::string& path, const json::value* body) {
  auto account = select();
  if (!account) return std::unexpected(account.error());
  Account& a = **account;
  if (auto fresh = ensure_fresh(a); !fresh) return std::unexpected(fresh.error());
  const std::string url = normalise_url(a.server_url) + path;
  auto reply = send(method, url, body, a.token);
  if (!reply && reply.error().code == ErrorCode::unauthorized) {
    // The token was revoked or the server's key changed: one refresh, one retry.
    if (auto refreshed = refresh_account(a); refreshed) {
      if (auto saved = save_credentials(credentials_); !saved) return std::unexpected(saved.error());
      return send(method, url, body, a.token);
    }
  }
  return reply;
}

Result<json::value> call_anonymous(std::string_view method, const std::string& url, const json::value* body) {
  return send(method, url, body, "");
}

}  // namespace routerly::cli
