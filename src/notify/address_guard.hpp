#pragma once
// The private-address guard of SPEC §13.3 for webhook URLs: a string check of the URL's host,
// no DNS lookup. Hosts that are numeric but not a canonical dotted quad ("2130706433",
// "0x7f.1") are refused too, since resolvers read them as addresses.
#include <string_view>

#include "common/error.hpp"

namespace routerly::notify {

// True when `host` (lower-case or not; IPv6 with or without brackets) names a loopback,
// private, link-local or cloud-metadata address.
bool is_private_host(std::string_view host);

// The URL must be absolute http(s) with a host; unless `allow_private`, the host must not be
// private. validation_error naming the URL problem otherwise.
Result<void> check_webhook_url(std::string_view url, bool allow_private);

}  // namespace routerly::notify
