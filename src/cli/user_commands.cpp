#include <boost/json.hpp>

#include "cli/listing.hpp"
#include "cli/output.hpp"
#include "cli/password_input.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct UserFlags {
  std::string email;
  std::string password;
  bool password_stdin = false;
  std::string role;
  std::string projects;
};

struct EditFlags {
  std::string user;
  std::string email;
  std::string password;
  bool password_stdin = false;
  std::string role;
};

// The password of a new user may also come from this variable (SPEC §11).
constexpr const char* kPasswordEnv = "ROUTERLY_USER_PASSWORD";

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// An email (compared case-insensitively, as the server does) is looked up in the user list;
// anything else is taken as an id.
Result<std::string> resolve_user(Api& api, const std::string& user) {
  if (user.find('@') == std::string::npos) return user;
  auto users = api.call("GET", "/api/users");
  if (!users) return std::unexpected(users.error());
  if (users->is_array()) {
    for (const auto& u : users->as_array()) {
      if (lower(field_text(u, "email")) == lower(user)) return field_text(u, "id");
    }
  }
  return fail(ErrorCode::not_found, "no user with email " + user);
}

}  // namespace

void register_user_commands(CLI::App& app, const std::shared_ptr<CommandContext>& ctx) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);

  user->add_subcommand("list", "List users")->callback([ctx] {
    ctx->action = [ctx] {
      return run_listing(*ctx, "/api/users",
                         {field_column("id", "id"), field_column("email", "email"),
                          field_column("role", "role"), field_column("created", "createdAt")});
    };
  });

  auto f = std::make_shared<UserFlags>();
  auto* add = user->add_subcommand("add", "Create a user");
  add->add_option("--email", f->email, "Email")->required();
  add->add_option(
      "--password", f->password,
      "Password, at least 8 characters (else --password-stdin, $ROUTERLY_USER_PASSWORD or a prompt)");
  add->add_flag("--password-stdin", f->password_stdin, "Read the password from standard input");
  add->add_option("--role", f->role, "Global role id (default: viewer)");
  add->add_option("--projects", f->projects, "Comma-separated project ids to join as a member");
  add->callback([ctx, f, add] {
    const bool password_given = add->count("--password") > 0;
    ctx->action = [ctx, f, password_given] {
      auto password = read_password(f->password, password_given, f->password_stdin, kPasswordEnv, true);
      if (!password) return report_error(password.error());
      json::object body{{"email", f->email}, {"password", *password}};
      if (!f->role.empty()) body["role"] = f->role;
      if (!f->projects.empty()) {
        json::array ids;
        for (const auto& p : split_list(f->projects)) ids.emplace_back(p);
        body["projectIds"] = std::move(ids);
      }
      const json::value value = std::move(body);
      return run_change(*ctx, "POST", "/api/users", &value, [](const json::value& u) {
        return "Added user " + field_text(u, "email") + " (" + field_text(u, "id") + ")";
      });
    };
  });

  auto e = std::make_shared<EditFlags>();
  auto* edit = user->add_subcommand("edit", "Change a user's email, role or password");
  edit->add_option("user", e->user, "User id or email")->required();
  edit->add_option("--email", e->email, "New email");
  edit->add_option("--role", e->role, "New global role id");
  edit->add_option("--password", e->password, "New password (at least 8 characters)");
  edit->add_flag("--password-stdin", e->password_stdin, "Read the new password from standard input");
  edit->callback([ctx, e, edit] {
    const bool password_given = edit->count("--password") > 0;
    ctx->action = [ctx, e, password_given] {
      json::object body;
      if (!e->email.empty()) body["email"] = e->email;
      if (!e->role.empty()) body["role"] = e->role;
      if (password_given || e->password_stdin) {
        // No environment or prompt fallback here: a password changes only when asked for.
        auto password = read_password(e->password, password_given, e->password_stdin, nullptr, false);
        if (!password) return report_error(password.error());
        body["newPassword"] = *password;
      }
      if (body.empty()) {
        return report_error({ErrorCode::validation_error,
                             "nothing to change: give --email, --role, --password or --password-stdin"});
      }
      Api api(ctx->global);
      auto user_id = resolve_user(api, e->user);
      if (!user_id) return report_error(user_id.error());
      const json::value value = std::move(body);
      return run_change(*ctx, "PUT", "/api/users/" + url_encode(*user_id), &value, [](const json::value& u) {
        return "Updated user " + field_text(u, "email") + " (" + field_text(u, "role") + ")";
      });
    };
  });

  auto id = std::make_shared<std::string>();
  auto* remove = user->add_subcommand("remove", "Delete a user");
  remove->add_option("user", *id, "User id or email")->required();
  remove->callback([ctx, id] {
    ctx->action = [ctx, id] {
      Api api(ctx->global);
      auto user_id = resolve_user(api, *id);
      if (!user_id) return report_error(user_id.error());
      return run_change(*ctx, "DELETE", "/api/users/" + url_encode(*user_id), nullptr,
                        [id](const json::value&) { return "Removed user " + *id; });
    };
  });
}

}  // namespace routerly::cli
