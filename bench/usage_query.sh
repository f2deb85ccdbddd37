#!/usr/bin/env bash
# Usage analytics on a large store: fills a temporary SQLite database with 1,000,000 usage
# rows (30 days, 20 projects) and prints how long the /api/usage store queries take.
#   bench/usage_query.sh [rows]          # default 1000000; BENCH_BUILD_DIR to reuse a build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
rows="${1:-1000000}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROUTERLY_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target usage_query_bench -j"$(nproc)" >/dev/null

tmp="$(mktemp -d "${TMPDIR:-/tmp}/routerly-usage-bench-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"$build/usage_query_bench" "$tmp/routerly.db" "$rows"
echo "database size: $(du -sh "$tmp" | cut -f1)"
