#!/usr/bin/env bash
# Fuzzes one harness (or every harness, in turn) with AFL++ under ASan/UBSan:
#   tests/fuzz/run.sh HARNESS|all [SECONDS]       (default 60 seconds per harness)
# Builds <build>/tests/fuzz/fuzz_<harness>_afl in its own build directory (FUZZ_BUILD_DIR,
# default build-fuzz), seeds from tests/fuzz/corpus/<harness>/ and keeps AFL++'s state in
# <build>/afl/<harness>/ (a later run resumes it). Prints executions and findings; exits 1 when
# the run saved a crash or a hang. A crash input belongs in corpus/<harness>/ once fixed, so
# ctest replays it from then on.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
harness="${1:?usage: run.sh HARNESS|all [SECONDS]}"
seconds="${2:-60}"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: run scripts/install-test-deps.sh" >&2; exit 2; }

all_harnesses() { sed -n 's/^routerly_fuzz_harness(\([a-z_]*\) .*/\1/p' "$here/CMakeLists.txt"; }

if [ "$harness" = all ]; then
  status=0
  for h in $(all_harnesses); do "$0" "$h" "$seconds" || status=1; done
  exit $status
fi
all_harnesses | grep -qx "$harness" || { echo "unknown harness '$harness'; one of: $(all_harnesses | tr '\n' ' ')" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTERLY_SANITIZE=ON \
        -DROUTERLY_FUZZ_ENGINE=afl -DROUTERLY_BUILD_TESTS=OFF -DROUTERLY_BUILD_DASHBOARD=OFF
fi
# FUZZ_NO_BUILD=1: use the binary as it is (e.g. while another build runs in the same tree).
[ "${FUZZ_NO_BUILD:-0}" = 1 ] || cmake --build "$build" -j "${JOBS:-2}" --target "fuzz_${harness}_afl"

out="$build/afl/$harness"
mkdir -p "$out"
# ASan must abort (AFL++ sees a signal) and not symbolise (slow); leaks are not tracked in
# AFL's persistent loop. UBSan is built to abort already.
export ASAN_OPTIONS="abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1:malloc_limit_mb=2048"
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_AUTORESUME=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1
afl-fuzz -i "$here/corpus/$harness" -o "$out" -x "$here/dict/routerly.dict" -m none -t 2000 \
         -V "$seconds" -- "$build/tests/fuzz/fuzz_${harness}_afl" > "$out/afl.log" 2>&1 || {
  echo "afl-fuzz failed for $harness; see $out/afl.log" >&2
  tail -n 20 "$out/afl.log" >&2
  exit 2
}

stats="$out/default/fuzzer_stats"
value() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "$harness: $(value execs_done) executions in $(value run_time)s, corpus $(value corpus_count)," \
     "edges $(value edges_found), crashes $crashes, hangs $hangs"
if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
  echo "findings in $out/default/crashes and $out/default/hangs;" \
       "replay one with: $build/tests/fuzz/fuzz_${harness}_afl < FILE" >&2
  exit 1
fi
