#include "metrics/family.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "metrics/text_format.hpp"

namespace routerly::metrics {
namespace {

// Length-prefixed concatenation: distinct label tuples never collide, whatever they contain.
// Built in `key` (a reused per-thread buffer on the hot path: no allocation per event).
void key_of(std::initializer_list<std::string_view> values, std::string& key) {
  key.clear();
  for (std::string_view v : values) {
    std::array<char, 24> digits{};
    auto end = std::to_chars(digits.data(), digits.data() + digits.size(), v.size()).ptr;
    key.append(digits.data(), end);
    key += ':';
    key += v;
  }
}

std::string_view type_name(Type t) {
  switch (t) {
    case Type::counter:
      return "counter";
    case Type::gauge:
      return "gauge";
    case Type::histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

Family::Family(FamilySpec spec) : spec_(std::move(spec)) {
  if (!std::is_sorted(spec_.buckets.begin(), spec_.buckets.end())) {
    throw std::invalid_argument("histogram buckets must ascend");  // start-up only (static table)
  }
}

Family::Series& Family::series(std::initializer_list<std::string_view> values) {
  thread_local std::string key;
  key_of(values, key);
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = series_[key];
  if (!slot) {
    auto s = std::make_unique<Series>();
    s->values.assign(values.begin(), values.end());
    s->values.resize(spec_.labels.size());  // a caller passing too few values gets empty labels
    if (spec_.type == Type::histogram) {
      std::size_t n = spec_.buckets.size() + 1;
      s->buckets = std::make_unique<std::atomic<uint64_t>[]>(n);
      for (std::size_t i = 0; i < n; ++i) s->buckets[i].store(0, std::memory_order_relaxed);
    }
    slot = std::move(s);
  }
  return *slot;
}

void Family::add(std::initializer_list<std::string_view> values, double delta) {
  if (spec_.type == Type::histogram) return;
  if (spec_.type == Type::counter && !(delta >= 0)) return;
  series(values).value.fetch_add(delta, std::memory_order_relaxed);
}

void Family::observe(std::initializer_list<std::string_view> values, double value) {
  if (spec_.type != Type::histogram) return;
  Series& s = series(values);
  auto it = std::lower_bound(spec_.buckets.begin(), spec_.buckets.end(), value);  // first le >= value
  s.buckets[static_cast<std::size_t>(it - spec_.buckets.begin())].fetch_add(1, std::memory_order_relaxed);
  s.sum.fetch_add(value, std::memory_order_relaxed);
}

void Family::render_labels(std::string& out, const Series& s, std::string_view le) const {
  if (spec_.labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < spec_.labels.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += spec_.labels[i];
    out += "=\"";
    append_label_value(out, s.values[i]);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

void Family::render(std::string& out) const {
  out += "# HELP ";
  out += spec_.name;
  out += ' ';
  append_help(out, spec_.help);
  out += "\n# TYPE ";
  out += spec_.name;
  out += ' ';
  out += type_name(spec_.type);
  out += '\n';

  std::vector<const Series*> all;
  {
    std::shared_lock lock(mutex_);
    all.reserve(series_.size());
    for (const auto& [key, s] : series_) all.push_back(s.get());
  }
  // Series are never removed, so the pointers outlive the lock.
  std::sort(all.begin(), all.end(), [](const Series* a, const Series* b) { return a->values < b->values; });

  for (const Series* s : all) {
    if (spec_.type != Type::histogram) {
      out += spec_.name;
      render_labels(out, *s, {});
      out += ' ';
      append_number(out, s->value.load(std::memory_order_relaxed));
      out += '\n';
      continue;
    }
    // Cumulative buckets; the count is the +Inf bucket so the three always agree.
    uint64_t cumulative = 0;
    std::string le;
    for (std::size_t i = 0; i <= spec_.buckets.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      le.clear();
      append_number(le,
                    i < spec_.buckets.size() ? spec_.buckets[i] : std::numeric_limits<double>::infinity());
      out += spec_.name;
      out += "_bucket";
      render_labels(out, *s, le);
      out += ' ';
      out += std::to_string(cumulative);
      out += '\n';
    }
    out += spec_.name;
    out += "_sum";
    render_labels(out, *s, {});
    out += ' ';
    append_number(out, s->sum.load(std::memory_order_relaxed));
    out += '\n';
    out += spec_.name;
    out += "_count";
    render_labels(out, *s, {});
    out += ' ';
    out += std::to_string(cumulative);
    out += '\n';
  }
}

}  // namespace routerly::metrics
