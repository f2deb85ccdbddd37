#pragma once
// What the model-calling policies share (policy_calls.hpp): resolving a model id to a callable
// target, a time limit that cancels in-flight upstream calls, one buffered JSON POST, and the
// usage row of a routing call.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "formats/usage.hpp"
#include "gateway/call.hpp"
#include "gateway/services.hpp"
#include "http/client.hpp"
#include "providers/adapter.hpp"
#include "store/usage_rows.hpp"

namespace routerly::gateway {

struct RoutingTarget {
  providers::Target target;
  const boost::json::object* model = nullptr;  // the model document (prices, capabilities)
  bool in_pool = false;                        // one of the project's candidates
};

// The project's compiled candidate when the id is one, else the registry's model compiled on the
// spot. Error text: "unknown model", "model is disabled", or why the target cannot be built.
std::expected<RoutingTarget, std::string> resolve_model(Services& services, const Call& call,
                                                        std::string_view id);

// A time limit for a group of upstream calls: bind slot() to each call; when the time runs out
// the call in flight is cancelled.
class Deadline {
 public:
  Deadline(const boost::asio::any_io_executor& executor, std::chrono::milliseconds limit);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  boost::asio::cancellation_slot slot();
  bool expired() const;
  std::chrono::milliseconds limit() const { return limit_; }
  std::chrono::milliseconds remaining() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::chrono::milliseconds limit_;
  std::chrono::steady_clock::time_point end_;
};

struct PostReply {
  unsigned status = 0;
  std::string body;
  int64_t latency_ms = 0;
};

// Sends and reads the whole answer (4 MiB at most). upstream_timeout "timeout after N ms" when
// the deadline cut it, upstream_error otherwise.
boost::asio::awaitable<Result<PostReply>> post_json(Services& services, http::ClientRequest request,
                                                    Deadline& deadline);

// A routing-call usage row (call_type "routing"), priced with `model`'s prices when given, else
// `input_price_per_million` for input tokens.
struct RoutingUsage {
  std::string model_id, provider, type = "chat";
  std::string outcome = "success";
  std::string error_message;
  formats::TokenUsage tokens;
  int64_t latency_ms = 0;
  const boost::json::object* model = nullptr;
  double input_price_per_million = 0;
  boost::json::array trace;
};
store::UsageRow routing_usage_row(const Call& call, const RoutingUsage& usage, int64_t now_ms);

}  // namespace routerly::gateway
