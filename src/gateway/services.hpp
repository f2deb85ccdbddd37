#pragma once
// What every gateway handler shares (one instance per Gateway), and the entry points that
// live in their own files (passthrough.cpp, count_tokens.cpp, metrics_route.cpp).
#include <boost/asio/awaitable.hpp>

#include <memory>

#include "budget/ledger.hpp"
#include "gateway/gateway.hpp"
#include "gateway/routing_step.hpp"
#include "gateway/runtime.hpp"
#include "http/exchange.hpp"
#include "http/message.hpp"
#include "routing/stats.hpp"

namespace routerly::gateway {

struct Services {
  Context ctx;
  RuntimeCache runtime;
  // Budget counters (issue 4): loaded from the store and fed by the usage stream in Gateway's
  // constructor; every provider attempt reserves here first (budget_gate.hpp).
  budget::Ledger ledger;
  // Routing (issue 4): the call history the policies read (fed in Gateway's constructor,
  // stats_feed.hpp) and the I/O policies (llm, semantic-intent) plugged in by their owners.
  std::shared_ptr<routing::Stats> stats = std::make_shared<routing::Stats>();
  AsyncPolicies async_policies;
  explicit Services(Context c) : ctx(c), runtime(c.config, c.key_box) {}
};

// Any path no route matched (SPEC §1.4.7, §00 P19, P21): reserved paths → 404, then project
// token auth, then the raw forward. Called from Gateway::passthrough.
boost::asio::awaitable<void> serve_passthrough(Services& services, http::Exchange& exchange);

// GET /v1/responses/{id}, GET …/{id}/input_items, DELETE /v1/responses/{id} (and their
// /projects/{slug} aliases): from the store when the project holds the id, else passed through.
enum class StoredResponseOp { get, input_items, remove };
boost::asio::awaitable<void> serve_stored_response(Services& services, http::Exchange& exchange,
                                                   StoredResponseOp op);

// POST /v1/messages/count_tokens and /projects/{slug}/v1/messages/count_tokens (P15).
// Authenticates by itself (authenticate() of proxy_auth.hpp).
boost::asio::awaitable<void> serve_count_tokens(Services& services, http::Exchange& exchange);

}  // namespace routerly::gateway
