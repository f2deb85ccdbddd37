#include "notify/channel.hpp"

#include <boost/json/array.hpp>
#include <cctype>
#include <cstdlib>

namespace routerly::notify {

namespace json = boost::json;

namespace {

std::string text(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v != nullptr && v->is_string()) return std::string(v->as_string());
  return {};
}

std::unexpected<Error> missing(std::string_view field) {
  return fail(ErrorCode::validation_error, "channel field '" + std::string(field) + "' is required");
}

std::vector<std::string> recipients(const json::object& o) {
  std::vector<std::string> out;
  const auto* to = o.if_contains("to");
  if (to == nullptr) return out;
  if (to->is_string()) {
    // "a@x, b@y" as typed in a single form field.
    std::string_view s = to->as_string();
    std::size_t start = 0;
    while (start <= s.size()) {
      auto end = s.find_first_of(",;", start);
      if (end == std::string_view::npos) end = s.size();
      std::string_view part = s.substr(start, end - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) out.emplace_back(part);
      start = end + 1;
    }
  } else if (to->is_array()) {
    for (const auto& r : to->as_array())
      if (r.is_string() && !r.as_string().empty()) out.emplace_back(r.as_string());
  }
  return out;
}

Result<SmtpTarget> email_common(const json::object& o) {
  SmtpTarget t;
  t.from_address = text(o, "fromAddress");
  if (t.from_address.empty()) return missing("fromAddress");
  t.from_name = text(o, "fromName");
  t.to = recipients(o);
  return t;
}

}  // namespace

Result<Channel> parse_channel(const json::object& o) {
  Channel c;
  c.id = text(o, "id");
  c.name = text(o, "name");
  c.provider = text(o, "provider");
  if (c.provider.empty()) c.provider = text(o, "type");
  if (c.provider.empty()) return missing("provider");

  if (c.provider == "webhook") {
    WebhookTarget w;
    w.url = text(o, "url");
    if (w.url.empty()) return missing("url");
    std::string method = text(o, "method");
    if (!method.empty()) w.method = method;
    if (w.method != "POST" && w.method != "GET")
      return fail(ErrorCode::validation_error, "channel field 'method' must be POST or GET");
    w.secret = text(o, "secret");
    c.webhook = std::move(w);
    return c;
  }

  auto t = email_common(o);
  if (!t) return std::unexpected(t.error());
  if (c.provider == "smtp") {
    t->host = text(o, "host");
    if (t->host.empty()) return missing("host");
    const auto* port = o.if_contains("port");
    if (port != nullptr && port->is_int64())
      t->port = static_cast<int>(port->as_int64());
    else if (port != nullptr && port->is_uint64())
      t->port = static_cast<int>(port->as_uint64());
    else if (port != nullptr && port->is_string())
      t->port = std::atoi(port->as_string().c_str());
    if (t->port < 1 || t->port > 65535)
      return fail(ErrorCode::validation_error, "channel field 'port' must be an integer from 1 to 65535");
    const auto* secure = o.if_contains("secure");
    t->secure = secure != nullptr && secure->is_bool() ? secure->as_bool() : t->port == 465;
    t->verify_tls = false;
    t->username = text(o, "username");
    t->password = text(o, "password");
  } else if (c.provider == "ses") {
    std::string region = text(o, "region");
    if (region.empty()) return missing("region");
    for (char ch : region)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-'))
        return fail(ErrorCode::validation_error,
                    "channel field 'region' must be an AWS region such as eu-west-1");
    t->host = "email-smtp." + region + ".amazonaws.com";
    t->port = 465;
    t->secure = true;
    t->username = text(o, "accessKeyId");
    t->password = text(o, "secretAccessKey");
  } else if (c.provider == "sendgrid") {
    t->host = "smtp.sendgrid.net";
    t->port = 587;
    t->secure = false;
    t->username = "apikey";
    t->password = text(o, "apiKey");
    if (t->password.empty()) return missing("apiKey");
  } else {
    return fail(ErrorCode::validation_error, "channel provider '" + c.provider + "' is not supported");
  }
  c.smtp = std::move(*t);
  return c;
}

}  // namespace routerly::notify
