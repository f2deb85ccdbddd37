#pragma once
// The two routing policies that call models (SPEC §5.4, §5.5, §13.2, §14.4), in the
// AsyncPolicy shape of routing_step.hpp. Neither ever fails the request: a failure is an
// outcome with ok=false (llm: every routing model failed or the time ran out) or an outcome
// that passes every candidate (semantic-intent: misconfigured, empty text, embedding failure).
// Each model call writes a usage row with call_type "routing".
#include <boost/asio/awaitable.hpp>

#include "gateway/call.hpp"
#include "gateway/services.hpp"
#include "routing/policy.hpp"

namespace routerly::gateway {

// `llm`: asks [routingModelId, ...fallbackModelIds] in turn (non-streaming, thinking off unless
// configured and supported, one repair call per unparseable answer) within config.timeoutMs
// (default 8000 ms) for the whole policy. Memory (config.memory) reads routing_memory() under
// call.conversation_id; the route records the top-ranked model there after routing
// (remember_routed_model).
boost::asio::awaitable<routing::PolicyOutcome> run_llm_policy(Services& services, const Call& call,
                                                              const routing::PolicyInput& input);

// `semantic-intent`: embeds the request text (and the intents' examples whose centroids are
// not cached) and keeps the classified intent's pool. The embedding model resolves through the
// configured models first (their endpoint, key and upstream id), else the policy's own
// embedding_endpoint / embedding_api_key with the id as given. Time limit: config.timeoutMs,
// default 10000 ms.
boost::asio::awaitable<routing::PolicyOutcome> run_semantic_intent_policy(Services& services,
                                                                          const Call& call,
                                                                          const routing::PolicyInput& input);

// After routing: when the project's llm policy has memory on and the request named a
// conversation, stores the top-ranked model (SPEC §5.5 Memory). `llm_config` is that policy's
// config object.
void remember_routed_model(const Call& call, const boost::json::object& llm_config,
                           const std::string& top_model_id);

}  // namespace routerly::gateway
