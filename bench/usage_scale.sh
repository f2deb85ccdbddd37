#!/usr/bin/env bash
# Start-up, memory and usage analytics against the size of the usage history.
#
#   bench/usage_scale.sh                 # expects build/routerly; builds build/usage_scale_gen
#   USAGE_SCALE_SIZES="0 100000" bench/usage_scale.sh
#
# For each size (default 0, 1 M and 5 M rows, spread over the last USAGE_SCALE_DAYS = 90 days)
# the history is written through the store's own insert path (bench/usage_scale_gen.cpp: the
# rollups are maintained as in production; each size adds rows to the previous database), then
# `routerly serve` is started on it and the script prints:
#   * start-up: time from exec to the first `/health` 200 (target <= 1 s);
#   * RSS once started (VmRSS, and VmHWM = the peak during start-up) (target <= 60 MiB);
#   * GET /api/usage timings (median of 5, client side): the unfiltered last 30 days (a window
#     that cuts hours at both ends) and this calendar month, each with its aggregates and the
#     first page of 100 records (target <= 50 ms), plus a model filter, a token filter and a
#     deep page reached by cursor and by offset.
# What the start-up reads is what the binary reads: the routing history loads its 24 h window
# through the time index; budgets load whatever the binary's budget code loads (until budgets
# come from persisted counters, that is every row of the budget history window, which is what
# dominates the start-up figures then). Targets are printed as PASS/MISS and never change the
# exit status. Everything it starts is stopped on exit.
#
# Then (unless USAGE_SCALE_UPGRADE=0; needs the sqlite3 shell) the largest database is turned
# back into one written before the rollups existed (rollup tables dropped, schema version 4
# forgotten) and started again: it prints the start-up time of that upgrade (the migration
# must not hold it), a 30-day query while the backfill runs (aggregates then come from the
# rows) and how long the background backfill took, from the gateway's own log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD_DIR:-$ROOT/build}"
BIN="${ROUTERLY_BIN:-$BUILD/routerly}"
SIZES="${USAGE_SCALE_SIZES:-0 1000000 5000000}"
DAYS="${USAGE_SCALE_DAYS:-90}"
START_TIMEOUT="${USAGE_SCALE_START_TIMEOUT:-300}"  # seconds to wait for /health before giving up on a size

for tool in curl node; do
  command -v "$tool" >/dev/null || { echo "usage_scale: '$tool' not found" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "usage_scale: $BIN not found; build it first" >&2; exit 2; }
cmake --build "$BUILD" --target usage_scale_gen >/dev/null
GEN="$BUILD/usage_scale_gen"

TMP="$(mktemp -d /tmp/routerly-usage-scale.XXXXXX)"
GW_PID=""
stop_gateway() {
  if [ -n "$GW_PID" ]; then
    kill "$GW_PID" 2>/dev/null || true
    wait "$GW_PID" 2>/dev/null || true
    GW_PID=""
  fi
}
cleanup() { stop_gateway; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

json_get() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))})' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
now_ns() { date +%s%N; }
verdict() { awk "BEGIN{exit !($1)}" && echo PASS || echo MISS; }
status_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$GW_PID/status"; }

HOME_DIR="$TMP/home"
mkdir -p "$HOME_DIR"
EMAIL="bench@example.com" PASSWORD="bench-password-1"
ADMIN=""

# median_ms <n> <url>: the median client-side time of n GETs, in ms.
median_ms() {
  local n="$1" url="$2" times=()
  for _ in $(seq "$n"); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' -H "authorization: Bearer $ADMIN" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.1f", a[int((NR+1)/2)]*1000}'
}

have=0
printf '%-9s %10s %9s %9s %10s %10s %9s %9s %11s %11s\n' rows 'start ms' 'RSS MiB' 'HWM MiB' '30d ms' 'month ms' \
  'model ms' 'token ms' 'cursor ms' 'offset ms'
for size in $SIZES; do
  if [ "$size" -gt "$have" ]; then
    "$GEN" "$HOME_DIR/routerly.db" "$((size - have))" "$DAYS" "$size" >"$TMP/gen.out"
    echo "  (generated $((size - have)) rows: $(cat "$TMP/gen.out"))" >&2
    have="$size"
  fi
  sync
  PORT="$(free_port)"
  GW="http://127.0.0.1:$PORT"
  t0="$(now_ns)"
  env ROUTERLY_HOME="$HOME_DIR" HOME="$HOME_DIR" ROUTERLY_LOG_LEVEL=warn \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
  GW_PID=$!
  ready=""
  while [ $(( ($(now_ns) - t0) / 1000000000 )) -lt "$START_TIMEOUT" ]; do
    if curl -fsS -o /dev/null "$GW/health" 2>/dev/null; then ready="$(now_ns)"; break; fi
    kill -0 "$GW_PID" 2>/dev/null || { echo "usage_scale: the gateway exited:" >&2; cat "$TMP/gw.err" >&2; exit 1; }
    sleep 0.005
  done
  if [ -z "$ready" ]; then
    hwm="$(awk "BEGIN{printf \"%.1f\", $(status_kb VmHWM)/1024}")"
    printf '%-9s %10s %9s %9s   (not ready after %s s: nothing else measured)\n' "$size" ">$((START_TIMEOUT * 1000))" - "$hwm" \
      "$START_TIMEOUT"
    echo "$size rows: start-up > $START_TIMEOUT s (target <= 1 s): MISS; peak RSS so far $hwm MiB" >>"$TMP/verdicts"
    stop_gateway
    continue
  fi
  start_ms=$(( (ready - t0) / 1000000 ))
  sleep 1
  rss="$(awk "BEGIN{printf \"%.1f\", $(status_kb VmRSS)/1024}")"
  hwm="$(awk "BEGIN{printf \"%.1f\", $(status_kb VmHWM)/1024}")"

  if [ -z "$ADMIN" ]; then
    ADMIN="$(curl -fsS -X POST "$GW/api/setup/first-admin" -H 'content-type: application/json' \
      -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | json_get token)"
  else
    ADMIN="$(curl -fsS -X POST "$GW/api/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | json_get token)"
  fi
  from="$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%S.123Z)"
  last30="$GW/api/usage?period=custom&from=$from&pageSize=100"
  t30="$(median_ms 5 "$last30")"
  tmonth="$(median_ms 5 "$GW/api/usage?period=monthly&pageSize=100")"
  tmodel="$(median_ms 5 "$last30&model=openai/gpt-4o")"
  ttoken="$(median_ms 5 "$last30&token=tok-3-1")"
  # Page 1001 of 100 records: by cursor (resuming after page 1000's last record) and by offset.
  cursor="$(curl -fsS -H "authorization: Bearer $ADMIN" "$GW/api/usage?period=all&limit=1&offset=99999" | json_get nextCursor)"
  if [ "$cursor" != null ] && [ "$cursor" != undefined ]; then
    tcursor="$(median_ms 5 "$GW/api/usage?period=all&limit=100&cursor=$cursor")"
    toffset="$(median_ms 5 "$GW/api/usage?period=all&limit=100&offset=100000")"
  else
    tcursor=- toffset=-
  fi
  printf '%-9s %10s %9s %9s %10s %10s %9s %9s %11s %11s\n' "$size" "$start_ms" "$rss" "$hwm" "$t30" "$tmonth" \
    "$tmodel" "$ttoken" "$tcursor" "$toffset"
  {
    echo "$size rows: start-up $start_ms ms (target <= 1000): $(verdict "$start_ms <= 1000");" \
      "RSS $rss MiB (target <= 60): $(verdict "$rss <= 60");" \
      "30-day aggregates + first page $t30 ms (target <= 50): $(verdict "$t30 <= 50")"
  } >>"$TMP/verdicts"
  stop_gateway
done
echo
cat "$TMP/verdicts"
echo "database size: $(du -sh "$HOME_DIR" | cut -f1)"

if [ "${USAGE_SCALE_UPGRADE:-1}" = 1 ] && [ "$have" -gt 0 ] && command -v sqlite3 >/dev/null; then
  sqlite3 "$HOME_DIR/routerly.db" \
    "DROP TABLE usage_rollup; DROP TABLE usage_rollup_backfill; DELETE FROM schema_migrations WHERE version = 4;"
  PORT="$(free_port)"
  GW="http://127.0.0.1:$PORT"
  t0="$(now_ns)"
  env ROUTERLY_HOME="$HOME_DIR" HOME="$HOME_DIR" ROUTERLY_LOG_LEVEL=info \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
  GW_PID=$!
  ready=""
  while [ $(( ($(now_ns) - t0) / 1000000000 )) -lt "$START_TIMEOUT" ]; do
    if curl -fsS -o /dev/null "$GW/health" 2>/dev/null; then ready="$(now_ns)"; break; fi
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.005
  done
  [ -n "$ready" ] || { echo "usage_scale: the upgraded gateway was not ready after $START_TIMEOUT s" >&2; exit 1; }
  ADMIN="$(curl -fsS -X POST "$GW/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | json_get token)"
  last30="$GW/api/usage?period=custom&from=$from&pageSize=100"  # this gateway's port
  during="$(median_ms 1 "$last30")"
  for _ in $(seq 3600); do grep -q 'backfill finished' "$TMP/gw.err" && break; sleep 0.5; done
  after="$(median_ms 5 "$last30")"
  echo
  echo "upgrade of $have rows written before the rollups: start-up $(( (ready - t0) / 1000000 )) ms;" \
    "30-day query during the backfill (from the rows) $during ms, after it $after ms;" \
    "$(grep -o 'backfill finished in [0-9.]* s' "$TMP/gw.err" || echo 'backfill not finished within 30 min')"
  stop_gateway
fi
