#include "routing/semantic/classify.hpp"

#include <algorithm>
#include <cmath>

namespace routerly::routing::semantic {

namespace json = boost::json;

namespace {

double round4(double v) {
  return std::round(v * 10000.0) / 10000.0;
}

bool contains(const std::vector<std::string>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

const Intent* find_intent(const SemanticConfig& config, std::string_view name) {
  for (const auto& intent : config.intents)
    if (intent.name == name) return &intent;
  return nullptr;
}

// An intent's candidate_models ∩ candidates; every candidate when that is empty.
std::vector<std::string> intent_pool(const Intent* intent, const std::vector<std::string>& candidates) {
  std::vector<std::string> pool;
  if (intent != nullptr)
    for (const auto& id : candidates)
      if (contains(intent->candidate_models, id)) pool.push_back(id);
  return pool.empty() ? candidates : pool;
}

}  // namespace

std::string request_text(const RequestFeatures& request) {
  return request.last_user_string.empty() ? request.all_string_text : request.last_user_string;
}

Vector centroid(const std::vector<Vector>& vectors) {
  if (vectors.empty() || vectors.front().empty()) return {};
  const std::size_t n = vectors.front().size();
  Vector sum(n, 0.0);
  std::size_t used = 0;
  for (const auto& v : vectors) {
    if (v.size() != n) continue;
    for (std::size_t i = 0; i < n; ++i) sum[i] += v[i];
    ++used;
  }
  for (auto& x : sum) x /= static_cast<double>(used);
  return sum;
}

double cosine(const Vector& a, const Vector& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na == 0 || nb == 0) return 0;
  return dot / (std::sqrt(na) * std::sqrt(nb));
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::confident:
      return "confident";
    case Status::ambiguous:
      return "ambiguous";
    case Status::unknown:
      return "unknown";
  }
  return "unknown";
}

Classification classify(const Vector& request, const std::vector<IntentCentroid>& centroids,
                        double absolute_threshold, double ambiguity_threshold) {
  Classification c;
  if (centroids.empty()) return c;
  std::vector<std::pair<double, std::size_t>> scored;
  for (std::size_t i = 0; i < centroids.size(); ++i)
    scored.emplace_back(cosine(request, centroids[i].centroid), i);
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  c.top_intent = centroids[scored[0].second].intent;
  c.top_score = scored[0].first;
  if (scored.size() > 1) {
    c.second_intent = centroids[scored[1].second].intent;
    c.second_score = scored[1].first;
  }
  c.margin = c.top_score - c.second_score;
  if (c.top_score < absolute_threshold) {
    c.status = Status::unknown;
  } else if (c.margin < ambiguity_threshold) {
    c.status = Status::ambiguous;
  } else {
    c.status = Status::confident;
  }
  return c;
}

std::vector<std::string> allowed_pool(const Classification& c, const SemanticConfig& config,
                                      const std::vector<std::string>& candidates) {
  switch (c.status) {
    case Status::confident:
      return intent_pool(find_intent(config, c.top_intent), candidates);
    case Status::ambiguous: {
      std::vector<std::string> first = intent_pool(find_intent(config, c.top_intent), candidates);
      std::vector<std::string> second = c.second_intent.empty()
                                            ? std::vector<std::string>{}
                                            : intent_pool(find_intent(config, c.second_intent), candidates);
      std::vector<std::string> pool;
      for (const auto& id : candidates)
        if (contains(first, id) || contains(second, id)) pool.push_back(id);
      return pool;
    }
    case Status::unknown:
      return candidates;
  }
  return candidates;
}

void apply_pool(PolicyOutcome& out, const std::vector<std::string>& candidates,
                const std::vector<std::string>& allowed) {
  out.routing.clear();
  out.excludes.clear();
  for (const auto& id : candidates) {
    bool in = contains(allowed, id);
    out.routing.push_back(PolicyPoint{id, in ? 1.0 : 0.0, std::nullopt});
    if (!in) out.excludes.push_back(id);
  }
}

void pass_all(PolicyOutcome& out, const std::vector<std::string>& candidates) {
  apply_pool(out, candidates, candidates);
}

json::object classification_details(const Classification& c) {
  auto name = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return json::object{{"topIntent", name(c.top_intent)},
                      {"topScore", round4(c.top_score)},
                      {"secondIntent", name(c.second_intent)},
                      {"secondScore", round4(c.second_score)},
                      {"margin", round4(c.margin)},
                      {"status", status_name(c.status)}};
}

}  // namespace routerly::routing::semantic
