#pragma once
// Private to src/http: the outbound proxy settings from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
// Pure (parse() takes the variable values), so it is unit-tested without an environment.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routerly::http::detail {

// An HTTP proxy (only http:// proxy URLs are supported; https traffic tunnels with CONNECT).
struct Proxy {
  std::string host;  // without IPv6 brackets
  uint16_t port = 80;
  std::string authorization;   // "Basic …" from the URL's user:password, else empty
  std::string error;           // set when the variable held an unusable URL; requests then fail
  std::string origin() const;  // "host:port" (brackets for IPv6) for messages and pool keys
};

struct ProxyEnv {
  std::optional<Proxy> https;         // for https:// targets
  std::optional<Proxy> http;          // for http:// targets
  std::vector<std::string> no_proxy;  // lower-case entries, leading "." / "*." removed
  bool no_proxy_all = false;          // NO_PROXY contained "*"

  // Reads https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY, no_proxy/NO_PROXY (lower-case wins).
  static ProxyEnv from_env();
  static ProxyEnv parse(std::string_view https_proxy, std::string_view http_proxy, std::string_view no_proxy);

  // The proxy to use for a target, or nullopt for a direct connection. Loopback names
  // (localhost, 127.0.0.1, ::1) are always direct.
  const Proxy* proxy_for(std::string_view scheme, std::string_view host, uint16_t port) const;
  bool bypass(std::string_view host, uint16_t port) const;
};

// Parses one proxy variable value ("http://user:pw@host:3128", "host:3128").
Proxy parse_proxy_url(std::string_view value);

}  // namespace routerly::http::detail
