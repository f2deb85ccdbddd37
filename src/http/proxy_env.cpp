#include "http/proxy_env.hpp"

#include <cstdlib>

#include <boost/url/parse.hpp>

#include "common/crypto.hpp"
#include "http/message.hpp"

namespace routerly::http::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

std::string env(const char* lower_name, const char* upper_name) {
  if (const char* v = std::getenv(lower_name); v && *v) return v;
  if (const char* v = std::getenv(upper_name); v && *v) return v;
  return {};
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1" ||
         (host.size() > 10 && host.substr(host.size() - 10) == ".localhost");
}

}  // namespace

std::string Proxy::origin() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Proxy parse_proxy_url(std::string_view value) {
  Proxy proxy;
  std::string text(trim(value));
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto url = boost::urls::parse_uri(text);
  if (!url) {
    proxy.error = "proxy URL is malformed";
    return proxy;
  }
  if (lower(url->scheme()) != "http") {
    proxy.error = "proxy URL scheme '" + std::string(url->scheme()) + "' is not supported (use http://)";
    return proxy;
  }
  proxy.host = lower(strip_brackets(url->encoded_host_address()));
  if (proxy.host.empty()) {
    proxy.error = "proxy URL has no host";
    return proxy;
  }
  if (url->has_port()) {
    if (url->port_number() == 0) {
      proxy.error = "proxy URL has an invalid port";
      return proxy;
    }
    proxy.port = url->port_number();
  }
  if (url->has_userinfo()) {
    std::string credentials =
        percent_decode(url->encoded_user()) + ":" + percent_decode(url->encoded_password());
    proxy.authorization = "Basic " + crypto::base64_encode(credentials);
  }
  return proxy;
}

ProxyEnv ProxyEnv::parse(std::string_view https_proxy, std::string_view http_proxy,
                         std::string_view no_proxy) {
  ProxyEnv out;
  if (!trim(https_proxy).empty()) out.https = parse_proxy_url(https_proxy);
  if (!trim(http_proxy).empty()) out.http = parse_proxy_url(http_proxy);
  while (!no_proxy.empty()) {
    size_t comma = no_proxy.find(',');
    std::string_view entry = trim(no_proxy.substr(0, comma));
    no_proxy = comma == std::string_view::npos ? std::string_view() : no_proxy.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "*") {
      out.no_proxy_all = true;
      continue;
    }
    if (entry.starts_with("*.")) entry.remove_prefix(2);
    if (entry.starts_with(".")) entry.remove_prefix(1);
    if (!entry.empty()) out.no_proxy.push_back(lower(entry));
  }
  return out;
}

ProxyEnv ProxyEnv::from_env() {
  return parse(env("https_proxy", "HTTPS_PROXY"), env("http_proxy", "HTTP_PROXY"),
               env("no_proxy", "NO_PROXY"));
}

// An entry matches the host itself and its subdomains; "host:port" only that port;
// "[v6]:port" and bare IPv6 addresses are understood.
bool ProxyEnv::bypass(std::string_view raw_host, uint16_t port) const {
  std::string host = lower(strip_brackets(raw_host));
  if (no_proxy_all || is_loopback(host)) return true;
  for (const auto& entry : no_proxy) {
    std::string_view name = entry;
    std::optional<uint16_t> entry_port;
    // "[v6]:port", "name:port"; a bare IPv6 address (several colons) has no port.
    size_t colon = std::string_view::npos;
    if (name.front() == '[') {
      size_t close = name.find("]:");
      if (close != std::string_view::npos) colon = close + 1;
    } else if (name.find(':') == name.rfind(':')) {
      colon = name.find(':');
    }
    if (colon != std::string_view::npos) {
      std::string_view digits = name.substr(colon + 1);
      unsigned value = 0;
      bool numeric = !digits.empty() && digits.size() <= 5;
      for (char c : digits) {
        numeric = numeric && c >= '0' && c <= '9';
        value = value * 10 + static_cast<unsigned>(c - '0');
      }
      if (numeric && value <= 65535) {
        entry_port = static_cast<uint16_t>(value);
        name = name.substr(0, colon);
      }
    }
    name = strip_brackets(name);
    if (entry_port && *entry_port != port) continue;
    if (host == name) return true;
    if (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.')
      return true;
  }
  return false;
}

const Proxy* ProxyEnv::proxy_for(std::string_view scheme, std::string_view host, uint16_t port) const {
  const std::optional<Proxy>& proxy = scheme == "https" ? https : http;
  if (!proxy || bypass(host, port)) return nullptr;
  return &*proxy;
}

}  // namespace routerly::http::detail
