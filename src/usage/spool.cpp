#include "usage/spool.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

#include "usage/spool_format.hpp"

namespace routerly::usage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSuffix = ".spool";
constexpr std::size_t kIdDigits = 20;

std::unexpected<Error> io_error(std::string_view what, const fs::path& path, int err) {
  return fail(ErrorCode::internal_error, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

// "00000000000000000042.spool" → 42; anything else is not a segment.
std::optional<uint64_t> segment_id(const std::string& name) {
  if (name.size() != kIdDigits + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + kIdDigits, id);
  if (ec != std::errc() || end != name.data() + kIdDigits) return std::nullopt;
  return id;
}

Result<void> write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path, errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync", dir, err);
  return {};
}

Result<std::string> read_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path, errno);
  std::string content;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return io_error("cannot read", path, err);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

}  // namespace

Result<std::unique_ptr<Spool>> Spool::open(const fs::path& dir, std::size_t segment_bytes) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error("cannot create", dir, errno);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(ErrorCode::internal_error, dir.string() + " is not a directory");
  std::vector<uint64_t> existing;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (auto id = segment_id(entry.path().filename().string())) existing.push_back(*id);
  if (ec) return fail(ErrorCode::internal_error, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(existing.begin(), existing.end());
  return std::unique_ptr<Spool>(new Spool(dir, segment_bytes == 0 ? 1 : segment_bytes, std::move(existing)));
}

Spool::Spool(fs::path dir, std::size_t segment_bytes, std::vector<uint64_t> existing)
    : dir_(std::move(dir)), segment_bytes_(segment_bytes), segments_(std::move(existing)) {
  if (!segments_.empty()) next_id_ = segments_.back() + 1;
}

Spool::~Spool() {
  std::lock_guard lock(mutex_);
  close_active();
}

fs::path Spool::segment_path(uint64_t segment) const {
  std::string name = std::to_string(segment);
  name.insert(0, kIdDigits - std::min(kIdDigits, name.size()), '0');
  return dir_ / (name + std::string(kSuffix));
}

Result<void> Spool::open_active(bool sync) {
  const uint64_t id = next_id_++;
  const fs::path path = segment_path(id);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", path, errno);
  // The file's name must survive a machine crash as well as its contents.
  if (sync) {
    if (auto ok = sync_directory(dir_); !ok) {
      ::close(fd);
      ::unlink(path.c_str());
      return ok;
    }
  }
  active_fd_ = fd;
  active_id_ = id;
  active_bytes_ = 0;
  segments_.push_back(id);
  return {};
}

void Spool::close_active() {
  if (active_fd_ < 0) return;
  ::close(active_fd_);
  active_fd_ = -1;
  if (active_bytes_ == 0) {  // nothing made it in (a failed first write): no empty file behind
    ::unlink(segment_path(active_id_).c_str());
    std::erase(segments_, active_id_);
  }
}

Spool::Appended Spool::append(std::span<const store::UsageRow> rows, bool sync) {
  std::lock_guard lock(mutex_);
  Appended out;
  std::string buffer;
  std::size_t next = 0;
  while (next < rows.size()) {
    if (active_fd_ < 0) {
      if (auto opened = open_active(sync); !opened) {
        out.error = opened.error();
        return out;
      }
    }
    const fs::path path = segment_path(active_id_);
    buffer.clear();
    std::size_t end = next;
    while (end < rows.size() && (buffer.empty() || active_bytes_ + buffer.size() < segment_bytes_))
      spool_format::append_frame(buffer, spool_format::encode_row(rows[end++]));
    auto written = write_all(active_fd_, buffer, path);
    if (written && sync && ::fdatasync(active_fd_) != 0) written = io_error("cannot sync", path, errno);
    if (!written) {
      // Cut what part of the write landed, so that the file ends on a whole record.
      if (::ftruncate(active_fd_, static_cast<off_t>(active_bytes_)) != 0)
        spdlog::warn("usage spool: cannot cut {} back after a failed write: {}", path.string(), std::strerror(errno));
      close_active();
      out.error = written.error();
      return out;
    }
    active_bytes_ += buffer.size();
    out.rows = end;
    next = end;
    if (active_bytes_ >= segment_bytes_) close_active();
  }
  return out;
}

std::optional<uint64_t> Spool::take_oldest() {
  std::lock_guard lock(mutex_);
  // Closing an active segment that holds nothing removes it: then there is none.
  if (!segments_.empty() && active_fd_ >= 0 && segments_.front() == active_id_) close_active();
  if (segments_.empty()) return std::nullopt;
  return segments_.front();
}

Result<Spool::Segment> Spool::read(uint64_t segment) const {
  const fs::path path = segment_path(segment);
  auto bytes = read_file(path);
  if (!bytes) return std::unexpected(bytes.error());
  spool_format::Scan scan = spool_format::scan(*bytes);
  Segment out;
  out.torn_tail_bytes = scan.torn_tail_bytes;
  out.damaged_records = scan.damaged_records;
  out.rows.reserve(scan.payloads.size());
  for (std::string_view payload : scan.payloads) {
    auto row = spool_format::decode_row(payload);
    if (row) {
      out.rows.push_back(std::move(*row));
    } else {
      ++out.damaged_records;
    }
  }
  if (out.torn_tail_bytes > 0)
    spdlog::warn("usage spool: {} ends with an incomplete record ({} bytes, cut by a crash while it was written); "
                 "skipped",
                 path.string(), out.torn_tail_bytes);
  if (out.damaged_records > 0)
    spdlog::warn("usage spool: {} has {} damaged record(s) ({} bytes) that fail their checksum; skipped",
                 path.string(), out.damaged_records, scan.damaged_bytes);
  return out;
}

Result<void> Spool::remove(uint64_t segment) {
  std::lock_guard lock(mutex_);
  if (active_fd_ >= 0 && segment == active_id_)
    return fail(ErrorCode::internal_error, "the active spool segment cannot be removed");
  const fs::path path = segment_path(segment);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("cannot remove", path, errno);
  std::erase(segments_, segment);
  return {};
}

bool Spool::empty() const {
  std::lock_guard lock(mutex_);
  return segments_.empty();
}

}  // namespace routerly::usage
