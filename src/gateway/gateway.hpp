#pragma once
// The LLM proxy (/v1/*, /projects/{slug}/v1/*, pass-through): project-token auth → body
// parsed once → candidates → attempts with fallback → native or translated response,
// streamed chunk by chunk → usage record (batched writer) and metrics.
#include <memory>

#include "budget/ledger.hpp"
#include "common/crypto.hpp"
#include "config/snapshot.hpp"
#include "http/client.hpp"
#include "http/exchange.hpp"
#include "http/router.hpp"
#include "notify/notifier.hpp"
#include "store/store.hpp"
#include "usage/writer.hpp"

namespace routerly::gateway {

struct Context {
  config::ConfigService& config;
  store::Store& store;
  const crypto::SecretBox& key_box;  // opens provider API keys
  usage::Writer& usage;
  http::HttpClient& client;
  notify::Notifier& notifier;  // budget events; owned by the composition root (one per process)
};

class Gateway {
 public:
  explicit Gateway(Context ctx);
  ~Gateway();
  // Registers POST /v1/chat/completions, /v1/responses, /v1/messages, /v1/messages/count_tokens,
  // GET /v1/models, /v1/models/{model}, GET and DELETE /v1/responses/{id}, GET
  // /v1/responses/{id}/input_items and the /projects/{slug}/v1/... aliases. (GET /metrics is
  // metrics_route.hpp's, registered by `serve` on the port it belongs to.)
  void register_routes(http::Router& router);
  // The budget ledger (a handle sharing its counters): the counter journal loads and writes it.
  budget::Ledger ledger() const;
  // The pass-through for every path no route matched (SPEC §1.4.7, §00 P19, P21).
  boost::asio::awaitable<void> passthrough(http::Exchange& exchange);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace routerly::gateway
