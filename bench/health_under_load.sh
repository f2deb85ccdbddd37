#!/usr/bin/env bash
# Does /health wait behind analytics? Prints /health latency (p50, p99, max; client side,
# one request at a time every ~5 ms) on an idle gateway and while full exports
# (GET /api/usage/export?period=all, every row streamed) and unfiltered aggregates
# (GET /api/usage?period=all) run back to back over HEALTH_LOAD_ROWS rows (default 1 M,
# written through the store's insert path by bench/usage_scale_gen.cpp). Target: p99 <= 20 ms
# under load. Prints numbers; asserts nothing; stops everything it started on exit.
#
#   bench/health_under_load.sh            # expects build/routerly; builds build/usage_scale_gen
#   HEALTH_LOAD_ROWS=200000 HEALTH_LOAD_SECONDS=10 bench/health_under_load.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD_DIR:-$ROOT/build}"
BIN="${ROUTERLY_BIN:-$BUILD/routerly}"
ROWS="${HEALTH_LOAD_ROWS:-1000000}"
SECONDS_UNDER_LOAD="${HEALTH_LOAD_SECONDS:-20}"

for tool in curl node; do
  command -v "$tool" >/dev/null || { echo "health_under_load: '$tool' not found" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "health_under_load: $BIN not found; build it first" >&2; exit 2; }
cmake --build "$BUILD" --target usage_scale_gen >/dev/null

TMP="$(mktemp -d /tmp/routerly-health-load.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
json_get() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))})' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

mkdir -p "$TMP/home"
echo "writing $ROWS usage rows: $("$BUILD/usage_scale_gen" "$TMP/home/routerly.db" "$ROWS" 30)"
PORT="$(free_port)"
GW="http://127.0.0.1:$PORT"
env ROUTERLY_HOME="$TMP/home" HOME="$TMP/home" ROUTERLY_LOG_LEVEL=warn \
  "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
GW_PID=$!
PIDS+=("$GW_PID")
for _ in $(seq 1200); do curl -fsS -o /dev/null "$GW/health" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$GW/health" || { echo "health_under_load: the gateway did not start" >&2; cat "$TMP/gw.err" >&2; exit 1; }
ADMIN="$(curl -fsS -X POST "$GW/api/setup/first-admin" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-1"}' | json_get token)"

echo "idle:       $(node "$ROOT/bench/health_probe.mjs" "$GW" 5)"

# Load: one exporter and one aggregate client, each looping until stopped.
(
  while :; do
    curl -fsS -o /dev/null -H "authorization: Bearer $ADMIN" "$GW/api/usage/export?period=all&format=ndjson" || true
    echo export >>"$TMP/done"
  done
) &
PIDS+=("$!")
(
  while :; do
    curl -fsS -o /dev/null -H "authorization: Bearer $ADMIN" "$GW/api/usage?period=all&pageSize=100" || true
    echo aggregate >>"$TMP/done"
  done
) &
PIDS+=("$!")
sleep 1
echo "under load: $(node "$ROOT/bench/health_probe.mjs" "$GW" "$SECONDS_UNDER_LOAD")"
echo "meanwhile: $(grep -c export "$TMP/done" 2>/dev/null || echo 0) full exports and" \
  "$(grep -c aggregate "$TMP/done" 2>/dev/null || echo 0) aggregate queries finished"
echo "(target: /health p99 <= 20 ms under load)"
