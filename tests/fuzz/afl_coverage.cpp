// Edge coverage for AFL++ from GCC's `-fsanitize-coverage=trace-pc` callbacks. Debian's AFL++
// GCC plugin refuses any gcc build but the one it was compiled against, and clang cannot
// compile this code base, so the build instruments every basic block with a call to
// __sanitizer_cov_trace_pc and this callback records the (previous block, this block) edge in
// AFL++'s shared map, the same hashing AFL's own instrumentation uses. The map pointer,
// fork server and persistent loop come from AFL++'s afl-compiler-rt.o; outside afl-fuzz the
// map is a private dummy and the callback costs a few instructions.
#include <cstdint>

extern "C" {
extern uint8_t* __afl_area_ptr;
extern uint32_t __afl_map_size;
}

namespace {
thread_local uintptr_t previous_block = 0;
}

// afl-fuzz reads these markers from the binary (afl-cc adds them to programs it compiles): the
// harness runs many inputs per process (libAFLDriver's persistent loop) and starts the fork
// server itself.
extern "C" __attribute__((used, visibility("default"))) const char routerly_afl_persistent_marker[] =
    "##SIG_AFL_PERSISTENT##";
extern "C" __attribute__((used, visibility("default"))) const char routerly_afl_deferred_marker[] =
    "##SIG_AFL_DEFER_FORKSRV##";

extern "C" __attribute__((no_sanitize_coverage, no_sanitize("address", "undefined"))) void
__sanitizer_cov_trace_pc() {
  const auto pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  const uintptr_t block = (pc ^ (pc >> 15)) & 0xffffu;
  __afl_area_ptr[(block ^ previous_block) & (__afl_map_size - 1)]++;
  previous_block = block >> 1;
}
