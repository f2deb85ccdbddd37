#include "cli/credentials.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/crypto.hpp"

namespace routerly::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

Account* Credentials::find(const std::string& alias) {
  auto it = std::ranges::find(accounts, alias, &Account::alias);
  return it == accounts.end() ? nullptr : &*it;
}

void Credentials::upsert(Account account) {
  if (Account* existing = find(account.alias)) {
    *existing = std::move(account);
  } else {
    accounts.push_back(std::move(account));
  }
}

bool Credentials::remove(const std::string& alias) {
  return std::erase_if(accounts, [&](const Account& a) { return a.alias == alias; }) > 0;
}

fs::path credentials_path() {
  const char* home = std::getenv("HOME");
  const fs::path base = (home && *home) ? fs::path(home) : fs::current_path();
  return base / ".routerly" / "cli" / "config.json";
}

namespace {

std::string str_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<Credentials> load_credentials() {
  const fs::path path = credentials_path();
  std::error_code ec;
  if (!fs::exists(path, ec)) return Credentials{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::internal_error, "cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code jec;
  json::value doc = json::parse(ss.str(), jec);
  if (jec || !doc.is_object()) return fail(ErrorCode::internal_error, path.string() + " is not valid JSON");
  Credentials out;
  const auto& root = doc.as_object();
  out.current_alias = str_field(root, "currentAlias");
  if (const auto* list = root.if_contains("accounts"); list && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) continue;
      const auto& o = item.as_object();
      Account a;
      a.alias = str_field(o, "alias");
      a.server_url = str_field(o, "serverUrl");
      a.email = str_field(o, "email");
      a.token = str_field(o, "token");
      a.role = str_field(o, "role");
      a.refresh_token = str_field(o, "refreshToken");
      if (const auto* e = o.if_contains("expiresAt"); e && e->is_number())
        a.expires_at_ms = e->to_number<std::int64_t>();
      if (!a.alias.empty()) out.accounts.push_back(std::move(a));
    }
  }
  return out;
}

Result<void> save_credentials(const Credentials& credentials) {
  json::array list;
  for (const Account& a : credentials.accounts) {
    list.push_back(json::object{{"alias", a.alias},
                                {"serverUrl", a.server_url},
                                {"email", a.email},
                                {"token", a.token},
                                {"expiresAt", a.expires_at_ms},
                                {"role", a.role},
                                {"refreshToken", a.refresh_token}});
  }
  json::object root{{"accounts", std::move(list)}, {"currentAlias", credentials.current_alias}};

  const fs::path path = credentials_path();
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return fail(ErrorCode::internal_error, "cannot create " + path.parent_path().string());
  ::chmod(path.parent_path().c_str(), 0700);
  const fs::path tmp = path.string() + ".tmp";
  {
    // Create with 0600 before any secret is written.
    const mode_t old = ::umask(077);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ::umask(old);
    if (!out) return fail(ErrorCode::internal_error, "cannot write " + tmp.string());
    out << json::serialize(root) << '\n';
    if (!out.flush()) return fail(ErrorCode::internal_error, "cannot write " + tmp.string());
  }
  ::chmod(tmp.c_str(), 0600);
  fs::rename(tmp, path, ec);
  if (ec) return fail(ErrorCode::internal_error, "cannot write " + path.string());
  return {};
}

std::optional<std::int64_t> jwt_expiry_seconds(const std::string& token) {
  const auto first = token.find('.');
  if (first == std::string::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  std::string payload = token.substr(first + 1, second - first - 1);
  while (!payload.empty() && payload.back() == '=') payload.pop_back();
  auto decoded = crypto::base64url_decode(payload);
  if (!decoded) return std::nullopt;
  boost::system::error_code jec;
  json::value doc = json::parse(*decoded, jec);
  if (jec || !doc.is_object()) return std::nullopt;
  const auto* exp = doc.as_object().if_contains("exp");
  if (!exp || !exp->is_number()) return std::nullopt;
  return exp->to_number<std::int64_t>();
}

}  // namespace routerly::cli
