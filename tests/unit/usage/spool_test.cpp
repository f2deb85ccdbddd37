#include "usage/spool.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace {

using namespace routerly;
namespace fs = std::filesystem;

std::vector<store::UsageRow> rows(int from, int count, std::size_t trace_bytes = 0) {
  std::vector<store::UsageRow> out;
  for (int i = from; i < from + count; ++i) {
    store::UsageRow r;
    r.id = "r" + std::to_string(i);
    r.timestamp_ms = 1000 + i;
    if (trace_bytes > 0) r.trace.emplace_back(std::string(trace_bytes, 't'));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> ids(const std::vector<store::UsageRow>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.id);
  return out;
}

// Reads every segment oldest first, removing each: what a replay sees.
std::vector<std::string> drain(usage::Spool& spool) {
  std::vector<std::string> out;
  while (auto segment = spool.take_oldest()) {
    auto read = spool.read(*segment);
    EXPECT_TRUE(read) << read.error().message;
    if (!read) break;
    for (auto& id : ids(read->rows)) out.push_back(id);
    EXPECT_TRUE(spool.remove(*segment));
  }
  return out;
}

std::vector<fs::path> files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

class SpoolTest : public ::testing::Test {
 protected:
  fs::path dir() const { return tmp_.path() / "usage-spool"; }
  TempDir tmp_;
};

TEST_F(SpoolTest, WritesRecordsAndReadsThemBackInOrderPrivately) {
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool) << spool.error().message;
  EXPECT_TRUE((*spool)->empty());
  auto first = (*spool)->append(rows(0, 3), false);
  auto second = (*spool)->append(rows(3, 2), true);
  EXPECT_EQ(first.rows, 3u);
  EXPECT_EQ(second.rows, 2u);
  EXPECT_FALSE(first.error || second.error);
  EXPECT_FALSE((*spool)->empty());

  EXPECT_EQ(mode_of(dir()), 0700u);
  for (const auto& f : files(dir())) EXPECT_EQ(mode_of(f), 0600u) << f;

  EXPECT_EQ(drain(**spool), (std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"}));
  EXPECT_TRUE((*spool)->empty());
  EXPECT_TRUE(files(dir()).empty());
}

TEST_F(SpoolTest, SegmentsRotateBySizeAndReplayInAppendOrder) {
  auto spool = usage::Spool::open(dir(), 4096);
  ASSERT_TRUE(spool);
  for (int i = 0; i < 100; i += 10) ASSERT_EQ((*spool)->append(rows(i, 10, 300), false).rows, 10u);
  EXPECT_GT(files(dir()).size(), 3u);
  std::vector<std::string> expected = ids(rows(0, 100));
  EXPECT_EQ(drain(**spool), expected);
}

TEST_F(SpoolTest, AppendsAfterASealGoToANewSegment) {
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool);
  (*spool)->append(rows(0, 2), false);
  auto oldest = (*spool)->take_oldest();  // seals the active segment
  ASSERT_TRUE(oldest);
  (*spool)->append(rows(2, 2), false);
  auto read = (*spool)->read(*oldest);
  ASSERT_TRUE(read);
  EXPECT_EQ(ids(read->rows), (std::vector<std::string>{"r0", "r1"}));
  ASSERT_TRUE((*spool)->remove(*oldest));
  EXPECT_EQ(drain(**spool), (std::vector<std::string>{"r2", "r3"}));
}

TEST_F(SpoolTest, ReopeningFindsWhatAnEarlierRunLeftAndAppendsAfterIt) {
  {
    auto spool = usage::Spool::open(dir(), 2048);
    ASSERT_TRUE(spool);
    for (int i = 0; i < 20; i += 5) (*spool)->append(rows(i, 5, 200), false);
  }
  auto spool = usage::Spool::open(dir(), 2048);
  ASSERT_TRUE(spool);
  EXPECT_FALSE((*spool)->empty());
  (*spool)->append(rows(20, 5), false);
  EXPECT_EQ(drain(**spool), ids(rows(0, 25)));
}

TEST_F(SpoolTest, TornTailFromACrashIsSkipped) {
  fs::path segment;
  {
    auto spool = usage::Spool::open(dir());
    ASSERT_TRUE(spool);
    (*spool)->append(rows(0, 3), false);
    segment = files(dir()).at(0);
  }
  const auto size = fs::file_size(segment);
  fs::resize_file(segment, size - 5);  // the last record lost its end
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool);
  auto oldest = (*spool)->take_oldest();
  ASSERT_TRUE(oldest);
  auto read = (*spool)->read(*oldest);
  ASSERT_TRUE(read);
  EXPECT_EQ(ids(read->rows), (std::vector<std::string>{"r0", "r1"}));
  EXPECT_GT(read->torn_tail_bytes, 0u);
  EXPECT_EQ(read->damaged_records, 0u);
}

TEST_F(SpoolTest, ChecksumMismatchSkipsTheAlteredRecordOnly) {
  fs::path segment;
  {
    auto spool = usage::Spool::open(dir());
    ASSERT_TRUE(spool);
    (*spool)->append(rows(0, 3), false);
    segment = files(dir()).at(0);
  }
  std::string bytes;
  {
    std::ifstream in(segment, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = bytes.find("\"r1\"");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 2] = '9';  // r1 → r9 without fixing the checksum
  {
    std::ofstream out(segment, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool);
  auto read = (*spool)->read(*(*spool)->take_oldest());
  ASSERT_TRUE(read);
  EXPECT_EQ(ids(read->rows), (std::vector<std::string>{"r0", "r2"}));
  EXPECT_EQ(read->damaged_records, 1u);
}

TEST_F(SpoolTest, AFailedAppendSaysHowManyRowsLandedAndLeavesNoEmptyFile) {
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool);
  fs::remove_all(dir());  // the directory is gone (as unwritable as a full disk, also for root)
  auto appended = (*spool)->append(rows(0, 3), true);
  EXPECT_EQ(appended.rows, 0u);
  ASSERT_TRUE(appended.error.has_value());
  EXPECT_NE(appended.error->message.find("usage-spool"), std::string::npos) << appended.error->message;
  EXPECT_TRUE((*spool)->empty());
}

TEST_F(SpoolTest, OtherFilesInTheDirectoryAreNotSegments) {
  fs::create_directories(dir());
  std::ofstream(dir() / "notes.txt") << "hello";
  std::ofstream(dir() / "123.spool") << "short name";
  auto spool = usage::Spool::open(dir());
  ASSERT_TRUE(spool);
  EXPECT_TRUE((*spool)->empty());
}

}  // namespace
