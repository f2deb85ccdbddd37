#!/usr/bin/env bash
# Installs what the tests need on top of install-deps.sh: GoogleTest/GoogleMock (unit tests),
# Google Benchmark and wrk (benchmarks), Chromium (the dashboard's browser tests, run headless),
# AFL++ (the fuzzing engine behind `make fuzz`) and the sqlite3 shell (the usage durability
# test locks the database with it).
# Idempotent: does nothing when everything is already present.
set -euo pipefail
here="$(dirname "$0")"
"$here/install-deps.sh"
exec "$here/apt-install.sh" \
  libgtest-dev libgmock-dev googletest libbenchmark-dev \
  wrk chromium afl++ sqlite3
