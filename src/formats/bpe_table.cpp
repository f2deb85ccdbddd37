#include "formats/bpe_table.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

namespace routerly::formats {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
// Pieces up to this many bytes use the quadratic scan (fastest for the usual short words);
// longer ones the heap, so a 100 kB run of one character stays linearithmic.
constexpr std::size_t kShortPiece = 128;

std::size_t hash_of(std::string_view s) {
  return std::hash<std::string_view>{}(s);
}

}  // namespace

void BpeTable::reserve(std::size_t tokens, std::size_t bytes) {
  bytes_.reserve(bytes);
  offsets_.reserve(tokens + 1);
  ranks_.reserve(tokens);
}

void BpeTable::add(std::string_view token, uint32_t rank) {
  bytes_.append(token);
  offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
  ranks_.push_back(rank);
}

void BpeTable::finish() {
  std::size_t capacity = 16;
  while (capacity < ranks_.size() * 2) capacity <<= 1;
  slots_.assign(capacity, 0);
  for (uint32_t i = 0; i < ranks_.size(); ++i) {
    std::string_view token(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
    std::size_t slot = hash_of(token) & (capacity - 1);
    while (slots_[slot] != 0) slot = (slot + 1) & (capacity - 1);
    slots_[slot] = i + 1;
  }
  bytes_.shrink_to_fit();
  offsets_.shrink_to_fit();
  ranks_.shrink_to_fit();
}

std::optional<uint32_t> BpeTable::rank(std::string_view token) const {
  if (slots_.empty()) return std::nullopt;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash_of(token) & mask;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return std::nullopt;
    uint32_t i = entry - 1;
    std::string_view candidate(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
    if (candidate == token) return ranks_[i];
  }
}

uint32_t BpeTable::rank_or_max(std::string_view token) const {
  return rank(token).value_or(kNone);
}

void BpeTable::merge(std::string_view piece, std::vector<uint32_t>& out) const {
  if (piece.empty()) return;
  if (auto whole = rank(piece)) {
    out.push_back(*whole);
    return;
  }
  if (piece.size() <= kShortPiece)
    merge_short(piece, out);
  else
    merge_long(piece, out);
}

// parts[i] = (start of part i, rank of part i joined with part i+1).
void BpeTable::merge_short(std::string_view piece, std::vector<uint32_t>& out) const {
  struct Part {
    std::size_t start;
    uint32_t rank;
  };
  std::vector<Part> parts;
  parts.reserve(piece.size() + 1);
  for (std::size_t i = 0; i + 1 < piece.size(); ++i) parts.push_back({i, rank_or_max(piece.substr(i, 2))});
  parts.push_back({piece.size() - 1, kNone});
  parts.push_back({piece.size(), kNone});

  // Rank of parts[i] merged with parts[i+1], given that parts[i+1] is about to be removed.
  auto joined_rank = [&](std::size_t i) -> uint32_t {
    if (i + 3 >= parts.size()) return kNone;
    return rank_or_max(piece.substr(parts[i].start, parts[i + 3].start - parts[i].start));
  };
  while (parts.size() > 2) {
    std::size_t best = 0;
    uint32_t best_rank = kNone;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i].rank < best_rank) {
        best_rank = parts[i].rank;
        best = i;
      }
    }
    if (best_rank == kNone) break;
    parts[best].rank = joined_rank(best);
    if (best > 0) parts[best - 1].rank = joined_rank(best - 1);
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    out.push_back(rank_or_max(piece.substr(parts[i].start, parts[i + 1].start - parts[i].start)));
  }
}

// The same merge order with a doubly linked list and a min-heap keyed (rank, start). A node's
// version changes whenever its span grows; heap entries naming an old version are skipped.
void BpeTable::merge_long(std::string_view piece, std::vector<uint32_t>& out) const {
  const std::size_t n = piece.size();
  struct Node {
    std::size_t start, end;  // bytes [start, end)
    std::size_t prev, next;  // kNoNode at the ends
    uint32_t version = 0;
    bool alive = true;
  };
  constexpr std::size_t kNoNode = std::numeric_limits<std::size_t>::max();
  std::vector<Node> nodes(n);
  for (std::size_t i = 0; i < n; ++i)
    nodes[i] = {i, i + 1, i == 0 ? kNoNode : i - 1, i + 1 < n ? i + 1 : kNoNode};

  struct Entry {
    uint32_t rank;
    std::size_t start;
    std::size_t node, right;
    uint32_t version, right_version;
    bool operator>(const Entry& o) const { return rank != o.rank ? rank > o.rank : start > o.start; }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  auto push_pair = [&](std::size_t i) {
    std::size_t j = nodes[i].next;
    if (j == kNoNode) return;
    uint32_t r = rank_or_max(piece.substr(nodes[i].start, nodes[j].end - nodes[i].start));
    if (r != kNone) heap.push({r, nodes[i].start, i, j, nodes[i].version, nodes[j].version});
  };
  for (std::size_t i = 0; i + 1 < n; ++i) push_pair(i);

  while (!heap.empty()) {
    Entry e = heap.top();
    heap.pop();
    Node& left = nodes[e.node];
    // Valid only if neither side changed since the entry was pushed.
    if (!left.alive || left.version != e.version || left.next != e.right) continue;
    Node& right = nodes[e.right];
    if (right.version != e.right_version) continue;
    left.end = right.end;
    left.next = right.next;
    right.alive = false;
    if (left.next != kNoNode) nodes[left.next].prev = e.node;
    ++left.version;
    push_pair(e.node);
    if (left.prev != kNoNode) push_pair(left.prev);  // its old pair is stale: left.version moved
  }
  for (std::size_t i = 0; i != kNoNode; i = nodes[i].next) {
    out.push_back(rank_or_max(piece.substr(nodes[i].start, nodes[i].end - nodes[i].start)));
  }
}

}  // namespace routerly::formats
