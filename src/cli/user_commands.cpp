#include <boost/json.hpp>

#include "cli/listing.hpp"
#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct UserFlags {
  std::string email;
  std::string password;
  std::string role;
};

// An email is looked up in the user list; anything else is taken as an id.
Result<std::string> resolve_user(Api& api, const std::string& user) {
  if (user.find('@') == std::string::npos) return user;
  auto users = api.call("GET", "/api/users");
  if (!users) return std::unexpected(users.error());
  if (users->is_array()) {
    for (const auto& u : users->as_array()) {
      if (field_text(u, "email") == user) return field_text(u, "id");
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
  add->add_option("--password", f->password, "Password (at least 8 characters)")->required();
  add->add_option("--role", f->role, "Global role id (default: viewer)");
  add->callback([ctx, f] {
    ctx->action = [ctx, f] {
      json::object body{{"email", f->email}, {"password", f->password}};
      if (!f->role.empty()) body["role"] = f->role;
      const json::value value = std::move(body);
      return run_change(*ctx, "POST", "/api/users", &value, [](const json::value& u) {
        return "Added user " + field_text(u, "email") + " (" + field_text(u, "id") + ")";
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
