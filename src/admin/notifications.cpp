// POST /api/notifications/test (user:write): sends a test message through one configured
// channel (SPEC §13.3, P9). Delivery problems are answers, not errors: 200 {ok:false,message}.
#include <boost/json.hpp>

#include "admin/body.hpp"
#include "admin/guard.hpp"
#include "admin/handlers.hpp"
#include "notify/notifier.hpp"

namespace routerly::admin {

namespace json = boost::json;

namespace {

// The channel addressed by `channelId`, else by `channelName` (P9); nullptr when none matches.
const json::object* find_channel(const json::object& settings, std::string_view key,
                                 std::string_view wanted) {
  const auto* n = settings.if_contains("notifications");
  if (n == nullptr || !n->is_object()) return nullptr;
  const auto* channels = n->as_object().if_contains("channels");
  if (channels == nullptr || !channels->is_array()) return nullptr;
  for (const auto& c : channels->as_array()) {
    if (!c.is_object()) continue;
    const auto* v = c.as_object().if_contains(key);
    if (v != nullptr && v->is_string() && v->as_string() == wanted) return &c.as_object();
  }
  return nullptr;
}

// One address, nothing that could break out of an SMTP command or a header line.
bool is_mail_address(std::string_view s) {
  auto at = s.find('@');
  return at != 0 && at != std::string_view::npos && at + 1 < s.size() && s.find('@', at + 1) == s.npos &&
         s.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
}

http::Response test_notification(Context& ctx, http::Request& req) {
  auto caller = require_permission(ctx, req, "user:write");
  if (!caller) return respond(caller.error());
  auto body = parse_object(req);
  if (!body) return respond(body.error());
  auto id = opt_string(*body, "channelId");
  if (!id) return respond(id.error());
  auto name = opt_string(*body, "channelName");
  if (!name) return respond(name.error());
  auto to = opt_string(*body, "to");
  if (!to) return respond(to.error());

  if (*to && !is_mail_address(**to))
    return respond({ErrorCode::validation_error, "field 'to' must be an e-mail address"});

  const json::object* channel = nullptr;
  if (*id && !(*id)->empty()) {
    channel = find_channel(caller->snap->settings, "id", **id);
    if (channel == nullptr)
      return respond({ErrorCode::validation_error, "Channel \"" + **id + "\" not found (field 'channelId')"});
  } else if (*name && !(*name)->empty()) {
    channel = find_channel(caller->snap->settings, "name", **name);
    if (channel == nullptr)
      return respond(
          {ErrorCode::validation_error, "Channel \"" + **name + "\" not found (field 'channelName')"});
  } else {
    return respond({ErrorCode::validation_error, "field 'channelId' is required"});
  }
  if (ctx.notifier == nullptr) return respond({ErrorCode::internal_error, "notifications are not available"});

  notify::TestResult result = ctx.notifier->send_test(*channel, to->value_or(""));
  json::object out{{"ok", result.ok}, {"message", result.message}};
  if (result.fixed_secure) out["fixedSecure"] = *result.fixed_secure;
  return http::Response::json(200, out);
}

}  // namespace

void register_notification_routes(http::Router& r, Context& ctx) {
  r.add("POST", "/api/notifications/test",
        [&ctx](http::Request& req) { return test_notification(ctx, req); });
}

}  // namespace routerly::admin
