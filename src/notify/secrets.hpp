#pragma once
// Channel secrets at rest (password, secretAccessKey, apiKey, webhook secret): the admin layer
// seals each into "<field>Enc" with the server's SecretBox before the settings are stored; the
// notifier opens them just before a delivery. Plain values (e.g. from a config import) still work.
#include <boost/json/object.hpp>

#include "common/crypto.hpp"

namespace routerly::notify {

// Replaces every non-empty plain secret of settings.notifications.channels[] by its sealed
// "<field>Enc" form. Idempotent.
void seal_channel_secrets(boost::json::object& settings, const crypto::SecretBox& box);

// The channel with its sealed secrets opened back into the plain fields (`box` may be null:
// then only plain values are available). A secret that cannot be opened is left empty and
// logged by field name only.
boost::json::object open_channel_secrets(boost::json::object channel, const crypto::SecretBox* box);

}  // namespace routerly::notify
