#include <boost/json.hpp>

#include "cli/listing.hpp"
#include "cli/output.hpp"

namespace routerly::cli {
namespace json = boost::json;

namespace {

struct MemberFlags {
  std::string project;
  std::string email;
  std::string role = "viewer";
};

std::string members_path(const std::string& project) {
  return "/api/projects/" + url_encode(project) + "/members";
}

// The member's user id, found by email in the project's member list.
Result<std::string> member_id(Api& api, const MemberFlags& f) {
  auto members = api.call("GET", members_path(f.project));
  if (!members) return std::unexpected(members.error());
  if (members->is_array()) {
    for (const auto& m : members->as_array()) {
      if (field_text(m, "email") == f.email || field_text(m, "userId") == f.email)
        return field_text(m, "userId");
    }
  }
  return fail(ErrorCode::not_found, f.email + " is not a member of " + f.project);
}

int change_member(const CommandContext& ctx, const MemberFlags& f, std::string_view method,
                  const json::value* body) {
  Api api(ctx.global);
  auto id = member_id(api, f);
  if (!id) return report_error(id.error());
  return run_change(ctx, method, members_path(f.project) + "/" + url_encode(*id), body,
                    [&f, method](const json::value&) {
                      return std::string(method == "DELETE" ? "Removed " : "Updated ") + f.email;
                    });
}

}  // namespace

void register_member_commands(CLI::App& project, const std::shared_ptr<CommandContext>& ctx) {
  auto* member = project.add_subcommand("member", "Manage a project's members");
  member->require_subcommand(1);
  auto f = std::make_shared<MemberFlags>();

  auto* list = member->add_subcommand("list", "List members");
  list->add_option("project", f->project, "Project slug or id")->required();
  list->callback([ctx, f] {
    ctx->action = [ctx, f] {
      return run_listing(
          *ctx, members_path(f->project),
          {field_column("user id", "userId"), field_column("email", "email"), field_column("role", "role")});
    };
  });

  auto* add = member->add_subcommand("add", "Add a user to the project");
  add->add_option("project", f->project, "Project slug or id")->required();
  add->add_option("--email", f->email, "User email")->required();
  add->add_option("--role", f->role, "viewer, editor or admin (default viewer)");
  add->callback([ctx, f] {
    ctx->action = [ctx, f] {
      const json::value body = json::object{{"email", f->email}, {"role", f->role}};
      return run_change(*ctx, "POST", members_path(f->project), &body, [](const json::value& m) {
        return "Added " + field_text(m, "email") + " as " + field_text(m, "role");
      });
    };
  });

  for (const char* name : {"update", "set-role"}) {
    auto* update = member->add_subcommand(name, "Change a member's role");
    update->add_option("project", f->project, "Project slug or id")->required();
    update->add_option("--email", f->email, "Member email")->required();
    update->add_option("--role", f->role, "viewer, editor or admin")->required();
    update->callback([ctx, f] {
      ctx->action = [ctx, f] {
        const json::value body = json::object{{"role", f->role}};
        return change_member(*ctx, *f, "PUT", &body);
      };
    });
  }

  auto* remove = member->add_subcommand("remove", "Remove a member");
  remove->add_option("project", f->project, "Project slug or id")->required();
  remove->add_option("--email", f->email, "Member email")->required();
  remove->callback(
      [ctx, f] { ctx->action = [ctx, f] { return change_member(*ctx, *f, "DELETE", nullptr); }; });
}

}  // namespace routerly::cli
