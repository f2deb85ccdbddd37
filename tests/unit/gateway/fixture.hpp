#pragma once
// A small compiled configuration for gateway tests: one project "demo" with models
// a (openai), b (disabled), missing (absent from the registry), c (anthropic, sealed key).
#include <boost/json.hpp>
#include <memory>

#include "auth/project_tokens.hpp"
#include "common/crypto.hpp"
#include "config/snapshot.hpp"
#include "gateway/runtime.hpp"

namespace routerly::gateway::testing {

inline const crypto::SecretBox& test_box() {
  crypto::initialize();
  static const crypto::SecretBox box(std::string(32, 'k'));
  return box;
}

inline constexpr const char* kToken = "sk-rt-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

inline std::shared_ptr<const config::Snapshot> demo_snapshot() {
  namespace json = boost::json;
  auto snap = std::make_shared<config::Snapshot>();
  snap->version = 7;
  snap->settings = json::object{{"defaultTimeoutMs", 45000}};
  snap->docs.models.push_back(json::object{{"id", "openai/gpt-4o"},
                                           {"provider", "openai"},
                                           {"endpoint", "http://127.0.0.1:9/v1"},
                                           {"timeout", 5000},
                                           {"cost", json::object{{"inputPerMillion", 2.0}, {"outputPerMillion", 8.0}}}});
  snap->docs.models.push_back(json::object{
      {"id", "openai/off"}, {"provider", "openai"}, {"endpoint", "http://127.0.0.1:9/v1"}, {"enabled", false}});
  snap->docs.models.push_back(json::object{{"id", "anthropic/claude"},
                                           {"provider", "anthropic"},
                                           {"endpoint", "http://127.0.0.1:9"},
                                           {"apiKeyEnc", test_box().seal("secret-key")}});
  snap->docs.projects.push_back(json::object{
      {"id", "p1"},
      {"slug", "demo"},
      {"timeoutMs", 20000},
      {"models", json::array{json::object{{"modelId", "openai/gpt-4o"}}, json::object{{"modelId", "openai/off"}},
                             json::object{{"modelId", "gone/model"}}, json::object{{"modelId", "anthropic/claude"}}}}});
  snap->docs.projects.push_back(json::object{{"id", "p2"}, {"slug", "other"}, {"models", json::array()}});
  snap->docs.tokens.push_back(
      json::object{{"id", "t1"}, {"projectId", "p1"}, {"hash", auth::hash_project_token(kToken)}});
  snap->index();
  return snap;
}

inline std::shared_ptr<const Runtime> demo_runtime() {
  return Runtime::compile(demo_snapshot(), test_box());
}

}  // namespace routerly::gateway::testing
