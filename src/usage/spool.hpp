#pragma once
// The usage spool: append-only files under ROUTERLY_HOME that hold usage records the store
// could not take in time, until they are replayed into it (usage/writer.hpp). Records are
// framed and checksummed (usage/spool_format.hpp).
//
// The spool is a list of segment files named by a growing number; records are appended to
// the newest ("active") one, which is replaced by a new one once it reaches segment_bytes or
// is sealed for replay. Replay reads whole segments oldest first and removes a segment only
// after its records are committed. Files are created 0600 in a 0700 directory.
//
// Thread-safe: appends (any thread) and replay (one thread) may run at the same time.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "common/error.hpp"
#include "store/usage_rows.hpp"

namespace routerly::usage {

class Spool {
 public:
  // Segments grow to about this size before a new one is started. It bounds the memory a
  // replay needs (one segment is read at a time).
  static constexpr std::size_t kDefaultSegmentBytes = 4u << 20;

  // Opens (creating it, 0700, when missing) the spool directory and lists the segments a
  // previous run left. Appends always go to a new segment: files left by a crash keep
  // whatever torn tail they have.
  static Result<std::unique_ptr<Spool>> open(const std::filesystem::path& dir,
                                             std::size_t segment_bytes = kDefaultSegmentBytes);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  struct Appended {
    std::size_t rows = 0;        // rows on disk (the first `rows` of the input, in order)
    std::optional<Error> error;  // why the others are not
  };
  // Appends `rows` in order. With `sync`, it returns only once they (and the entry of any file
  // it created) are on disk (fdatasync); without, they are in the OS's cache, which survives a
  // crash of the process but not of the machine.
  Appended append(std::span<const store::UsageRow> rows, bool sync);

  // The oldest segment, sealed first if it is the active one (later appends go to a new
  // segment), so that it can be read and removed. nullopt: the spool is empty.
  std::optional<uint64_t> take_oldest();

  struct Segment {
    std::vector<store::UsageRow> rows;  // in the order they were appended
    std::size_t damaged_records = 0;    // damaged and skipped (bad checksum or frame, bad JSON)
    std::size_t torn_tail_bytes = 0;    // an incomplete last record, skipped
  };
  // Reads a segment given by take_oldest(). Damage is reported (and logged), not an error.
  Result<Segment> read(uint64_t segment) const;
  // Deletes a segment whose records are committed to the store.
  Result<void> remove(uint64_t segment);

  // True when no segment holds records waiting for replay.
  bool empty() const;
  const std::filesystem::path& directory() const { return dir_; }
  std::filesystem::path segment_path(uint64_t segment) const;

 private:
  Spool(std::filesystem::path dir, std::size_t segment_bytes, std::vector<uint64_t> existing);
  Result<void> open_active(bool sync);  // mutex_ held
  void close_active();                  // mutex_ held

  const std::filesystem::path dir_;
  const std::size_t segment_bytes_;
  mutable std::mutex mutex_;
  std::vector<uint64_t> segments_;  // oldest first; the active one (if any) is last
  uint64_t next_id_ = 1;
  int active_fd_ = -1;
  uint64_t active_id_ = 0;
  std::size_t active_bytes_ = 0;
};

}  // namespace routerly::usage
