#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/password_input.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct LoginFlags {
  std::string email;
  std::string password;
  bool password_stdin = false;
  std::string alias;
};

// ~/.routerly/config/cli.json {serviceUrl}, else the local default.
std::string default_server_url() {
  const char* home = std::getenv("HOME");
  if (home && *home) {
    std::ifstream in(std::filesystem::path(home) / ".routerly" / "config" / "cli.json");
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value doc = json::parse(ss.str(), ec);
    if (!ec && doc.is_object()) {
      if (const auto* u = doc.as_object().if_contains("serviceUrl");
          u && u->is_string() && !u->as_string().empty()) {
        return std::string(u->as_string());
      }
    }
  }
  return "http://localhost:3000";
}

int run_login(CommandContext& ctx, LoginFlags& flags) {
  auto loaded = load_credentials();
  if (!loaded) return report_error(loaded.error());
  Credentials creds = std::move(*loaded);
  std::string url = ctx.global.url;
  const std::string alias = !flags.alias.empty()        ? flags.alias
                            : !ctx.global.alias.empty() ? ctx.global.alias
                                                        : "";
  if (url.empty() && !alias.empty()) {
    if (const Account* existing = creds.find(alias)) url = existing->server_url;
  }
  if (url.empty()) url = default_server_url();
  if (flags.email.empty()) return report_error({ErrorCode::validation_error, "--email is required"});
  std::string password = flags.password;
  if (password.empty()) {
    if (flags.password_stdin || !::isatty(STDIN_FILENO)) {
      password = read_stdin_line();
    } else {
      password = prompt_password();
    }
  }
  if (password.empty()) return report_error({ErrorCode::validation_error, "a password is required"});

  url = normalise_url(url);
  json::value body = json::object{{"email", flags.email}, {"password", password}};
  auto session = call_anonymous("POST", url + "/api/auth/login", &body);
  if (!session) return report_error(session.error());

  Account account;
  account.alias = alias.empty() ? flags.email : alias;
  account.server_url = url;
  account.email = flags.email;
  apply_session(account, *session);
  const std::string saved_alias = account.alias;
  const std::string role = account.role;
  creds.upsert(std::move(account));
  creds.current_alias = saved_alias;
  if (auto saved = save_credentials(creds); !saved) return report_error(saved.error());
  if (ctx.global.json) {
    print_json(
        json::object{{"alias", saved_alias}, {"serverUrl", url}, {"email", flags.email}, {"role", role}});
  } else {
    std::cout << "Logged in to " << url << " as " << flags.email << " (" << role << "), account '"
              << saved_alias << "'\n";
  }
  return 0;
}

int run_logout(CommandContext& ctx) {
  Api api(ctx.global);
  auto account = api.select();
  if (!account) return report_error(account.error());
  const std::string alias = (*account)->alias;
  json::value body = json::object{{"refreshToken", (*account)->refresh_token}};
  // The server side is best effort: the local account is forgotten either way.
  auto revoked = api.call("POST", "/api/auth/logout", &body);
  Credentials& creds = api.credentials();
  creds.remove(alias);
  if (creds.current_alias == alias)
    creds.current_alias = creds.accounts.empty() ? "" : creds.accounts.front().alias;
  if (auto saved = save_credentials(creds); !saved) return report_error(saved.error());
  if (!revoked)
    std::cerr << "warning: the server did not confirm the logout: " << revoked.error().message << '\n';
  std::cout << "Logged out of '" << alias << "'\n";
  return 0;
}

int run_ps(CommandContext& ctx) {
  auto loaded = load_credentials();
  if (!loaded) return report_error(loaded.error());
  if (ctx.global.json) {
    json::array list;
    for (const Account& a : loaded->accounts) {
      list.push_back(json::object{{"alias", a.alias},
                                  {"serverUrl", a.server_url},
                                  {"email", a.email},
                                  {"role", a.role},
                                  {"expiresAt", a.expires_at_ms},
                                  {"current", a.alias == loaded->current_alias}});
    }
    print_json(list);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Account& a : loaded->accounts) {
    rows.push_back({a.alias == loaded->current_alias ? "*" : "", a.alias, a.email, a.role, a.server_url});
  }
  std::cout << format_table({"", "alias", "email", "role", "server"}, rows);
  return 0;
}

int run_switch(const std::string& alias) {
  auto loaded = load_credentials();
  if (!loaded) return report_error(loaded.error());
  if (!loaded->find(alias))
    return report_error({ErrorCode::not_found, "no saved account named '" + alias + "'"});
  loaded->current_alias = alias;
  if (auto saved = save_credentials(*loaded); !saved) return report_error(saved.error());
  std::cout << "Now using '" << alias << "'\n";
  return 0;
}

int run_rename(const std::string& from, const std::string& to) {
  auto loaded = load_credentials();
  if (!loaded) return report_error(loaded.error());
  Account* a = loaded->find(from);
  if (!a) return report_error({ErrorCode::not_found, "no saved account named '" + from + "'"});
  if (loaded->find(to))
    return report_error({ErrorCode::conflict, "an account named '" + to + "' already exists"});
  a->alias = to;
  if (loaded->current_alias == from) loaded->current_alias = to;
  if (auto saved = save_credentials(*loaded); !saved) return report_error(saved.error());
  std::cout << "Renamed '" << from << "' to '" << to << "'\n";
  return 0;
}

int run_whoami(CommandContext& ctx) {
  Api api(ctx.global);
  auto me = api.call("GET", "/api/me");
  if (!me) return report_error(me.error());
  if (ctx.global.json) {
    print_json(*me);
    return 0;
  }
  auto account = api.select();
  std::cout << field_text(*me, "email") << " (" << field_text(*me, "role") << ")";
  if (account) std::cout << " at " << (*account)->server_url << ", account '" << (*account)->alias << "'";
  std::cout << '\n';
  return 0;
}

int run_refresh(CommandContext& ctx) {
  Api api(ctx.global);
  auto account = api.select();
  if (!account) return report_error(account.error());
  if (auto refreshed = refresh_account(**account); !refreshed) return report_error(refreshed.error());
  if (auto saved = save_credentials(api.credentials()); !saved) return report_error(saved.error());
  std::cout << "Refreshed the session of '" << (*account)->alias << "'\n";
  return 0;
}

}  // namespace

void register_auth_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* auth = app.add_subcommand("auth", "Log in to servers and manage saved accounts");
  auth->require_subcommand(1);

  auto flags = std::make_shared<LoginFlags>();
  auto* login = auth->add_subcommand("login", "Log in and save the account");
  login->add_option("--email", flags->email, "Account email")->required();
  login->add_option("--password", flags->password, "Password (prompted without echo when absent)");
  login->add_flag("--password-stdin", flags->password_stdin, "Read the password from standard input");
  login->add_option("--alias", flags->alias, "Name for the saved account (default: the email)");
  login->callback([ctx, flags] { ctx->action = [ctx, flags] { return run_login(*ctx, *flags); }; });

  auth->add_subcommand("logout", "End the session and forget the account")->callback([ctx] {
    ctx->action = [ctx] { return run_logout(*ctx); };
  });
  auth->add_subcommand("ps", "List saved accounts")->callback([ctx] {
    ctx->action = [ctx] { return run_ps(*ctx); };
  });
  auto target = std::make_shared<std::string>();
  auto* sw = auth->add_subcommand("switch", "Make a saved account the current one");
  sw->add_option("alias", *target, "Account alias")->required();
  sw->callback([ctx, target] { ctx->action = [target] { return run_switch(*target); }; });

  auto names = std::make_shared<std::pair<std::string, std::string>>();
  auto* rename = auth->add_subcommand("rename", "Rename a saved account");
  rename->add_option("old", names->first, "Current alias")->required();
  rename->add_option("new", names->second, "New alias")->required();
  rename->callback(
      [ctx, names] { ctx->action = [names] { return run_rename(names->first, names->second); }; });

  auth->add_subcommand("whoami", "Show the logged-in user")->callback([ctx] {
    ctx->action = [ctx] { return run_whoami(*ctx); };
  });
  auth->add_subcommand("refresh", "Renew the access token now")->callback([ctx] {
    ctx->action = [ctx] { return run_refresh(*ctx); };
  });
}

}  // namespace routerly::cli
