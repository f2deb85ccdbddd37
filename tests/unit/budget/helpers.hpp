#pragma once
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "config/snapshot.hpp"
#include "store/usage_rows.hpp"

namespace routerly::budget::test {

// Milliseconds since the epoch of a UTC date-time.
inline int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{mo} / d};
  return duration_cast<milliseconds>(day.time_since_epoch()).count() +
         ((h * 60 + mi) * 60 + s) * int64_t{1000} + ms;
}

inline boost::json::object obj(std::string_view text) {
  return boost::json::parse(text).as_object();
}

// A snapshot with one project "p1" (slug my-app) of models m1 and m2, and one token "t1".
struct World {
  boost::json::object settings = obj(R"({"budgets":[]})");
  boost::json::object model1 = obj(R"({"id":"m1","limits":[]})");
  boost::json::object model2 = obj(R"({"id":"m2"})");
  boost::json::object project =
      obj(R"({"id":"p1","slug":"my-app","models":[{"modelId":"m1"},{"modelId":"m2"}],"budgets":[]})");
  boost::json::object token =
      obj(R"({"id":"t1","projectId":"p1","hash":"h","models":[],"limits":[],"limitsMode":"replace"})");

  std::shared_ptr<config::Snapshot> snap() const {
    auto s = std::make_shared<config::Snapshot>();
    s->docs.models = {model1, model2};
    s->docs.projects = {project};
    s->docs.tokens = {token};
    s->settings = settings;
    s->index();
    return s;
  }
};

// World with one project budget (a limit object in its stored JSON form).
inline World project_budget(std::string_view limit_json) {
  World w;
  w.project["budgets"] = boost::json::array{obj(limit_json)};
  return w;
}

inline store::UsageRow row(int64_t ts, std::string model = "m1", double cost = 0.01, int64_t in = 100,
                           int64_t out = 50, std::string token = "t1", std::string project = "p1") {
  static int next = 0;
  store::UsageRow r;
  r.id = "row-" + std::to_string(++next);
  r.timestamp_ms = ts;
  r.project_id = std::move(project);
  r.token_id = std::move(token);
  r.model_id = std::move(model);
  r.cost = cost;
  r.input_tokens = in;
  r.output_tokens = out;
  return r;
}

}  // namespace routerly::budget::test
