#!/usr/bin/env bash
# Installs what the tests need on top of install-deps.sh: GoogleTest/GoogleMock (unit tests),
# Google Benchmark and wrk (benchmarks), Chromium (the dashboard's browser tests, run headless),
# AFL++ (the fuzzing engine behind `make fuzz`), the sqlite3 shell (the usage durability
# test locks the database with it) and the PostgreSQL server (the PostgreSQL store's tests start
# their own servers). PostgreSQL refuses to run as root, so the tests run it as the unprivileged
# system user routerly-test when they run as root (as CI does); this script creates that user.
# Idempotent: does nothing when everything is already present.
set -euo pipefail
here="$(dirname "$0")"
"$here/install-deps.sh"
"$here/apt-install.sh" \
  libgtest-dev libgmock-dev googletest libbenchmark-dev \
  wrk chromium afl++ sqlite3 postgresql

if ! id -u routerly-test >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin routerly-test
fi
