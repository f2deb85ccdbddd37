#!/usr/bin/env bash
# What settings.usageDurability "sync" costs against "batched" (the default): chat completions
# through one gateway whose setting is switched between runs (it applies to the next request),
# non-streaming and streaming, at 32 connections (throughput) and 4 connections (latency).
#
#   bench/usage_durability.sh            # expects build/routerly (make build); ROUTERLY_BIN overrides
#   BENCH_DURATION=5s BENCH_ROUNDS=1 bench/usage_durability.sh
#
# Starts tools/mock-upstream (--no-record) and `routerly serve` on 127.0.0.1 with a temporary
# ROUTERLY_HOME (so the database is on the disk that holds /tmp), creates the first admin, one
# openai model on the mock and a project with its token, then runs wrk (bench/proxy_post.lua)
# alternating batched and sync BENCH_ROUNDS times per figure (machine noise hits both alike) and
# prints each run, the median per mode and the sync/batched ratio and added p50/p99. Numbers
# only: nothing here is a pass/fail target. Everything it starts is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ROUTERLY_BIN:-$ROOT/build/routerly}"
DURATION="${BENCH_DURATION:-8s}"
ROUNDS="${BENCH_ROUNDS:-3}"
THREADS="${BENCH_THREADS:-2}"

for tool in node curl wrk; do
  command -v "$tool" >/dev/null || { echo "usage_durability: '$tool' not found (scripts/install-test-deps.sh installs it)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "usage_durability: $BIN not found; build it first (make build)" >&2; exit 2; }

TMP="$(mktemp -d /tmp/routerly-bench.XXXXXX)"
MOCK_PID=""
GW_PID=""
cleanup() {
  for pid in $GW_PID $MOCK_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $GW_PID $MOCK_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

json_get() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))})' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

node "$ROOT/tools/mock-upstream/server.mjs" --port 0 --host 127.0.0.1 --no-record >"$TMP/mock.out" 2>"$TMP/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do [ -s "$TMP/mock.out" ] && break; sleep 0.1; done
MOCK="http://127.0.0.1:$(head -n1 "$TMP/mock.out" | json_get port)"

GW_PORT="$(free_port)"
GW="http://127.0.0.1:$GW_PORT"
mkdir -p "$TMP/home"
env ROUTERLY_HOME="$TMP/home" HOME="$TMP/home" ROUTERLY_LOG_LEVEL=warn \
  "$BIN" serve --host 127.0.0.1 --port "$GW_PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
GW_PID=$!
for _ in $(seq 100); do curl -fsS "$GW/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$GW/health" >/dev/null || { echo "usage_durability: the gateway did not start:" >&2; cat "$TMP/gw.err" >&2; exit 1; }

request() { # request <method> <path> <json> [bearer]
  curl -fsS -X "$1" "$GW$2" -H 'content-type: application/json' ${4:+-H "authorization: Bearer $4"} -d "$3"
}
ADMIN="$(request POST /api/setup/first-admin '{"email":"bench@example.com","password":"bench-password-1"}' | json_get token)"
request POST /api/models "{\"id\":\"openai/gpt-4o\",\"provider\":\"openai\",\"endpoint\":\"$MOCK/v1\",\"apiKey\":\"sk-bench-upstream\",\"inputPrice\":2.5,\"outputPrice\":10}" "$ADMIN" >/dev/null
TOKEN="$(request POST /api/projects '{"name":"bench","models":["openai/gpt-4o"]}' "$ADMIN" | json_get token)"
durability() { request PUT /api/settings "{\"usageDurability\":\"$1\"}" "$ADMIN" >/dev/null; }

body() { printf '{"model":"gpt-4o","messages":[{"role":"user","content":"Benchmark request: please answer briefly."}],"stream":%s}' "$1"; }
run() { # run <stream:true|false> <conns> <duration>
  BENCH_BODY="$(body "$1")" BENCH_AUTH="Bearer $TOKEN" \
    wrk -t "$([ "$2" -lt "$THREADS" ] && echo "$2" || echo "$THREADS")" -c "$2" -d "$3" \
    -s "$ROOT/bench/proxy_post.lua" "$GW/v1/chat/completions" | grep '^RESULT' | cut -d' ' -f2-
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
median() { sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

declare -A RPS P50 P99
printf '%-10s %5s %-8s %5s %10s %9s %9s %7s\n' mode conns setting round 'req/s' 'p50 ms' 'p99 ms' errors
for stream in false true; do
  mode=$([ "$stream" = true ] && echo stream || echo nonstream)
  durability batched
  run "$stream" 32 2s >/dev/null  # warm-up
  for conns in 32 4; do
    for round in $(seq "$ROUNDS"); do
      for setting in batched sync; do
        durability "$setting"
        out="$(run "$stream" "$conns" "$DURATION")"
        key="$mode.$conns.$setting"
        RPS[$key]+="$(field "$out" rps) "
        P50[$key]+="$(field "$out" p50_us) "
        P99[$key]+="$(field "$out" p99_us) "
        printf '%-10s %5s %-8s %5s %10s %9.3f %9.3f %7s\n' "$mode" "$conns" "$setting" "$round" "$(field "$out" rps)" \
          "$(awk "BEGIN{print $(field "$out" p50_us)/1000}")" "$(awk "BEGIN{print $(field "$out" p99_us)/1000}")" \
          "$(( $(field "$out" non2xx) + $(field "$out" socket_errors) ))"
      done
    done
  done
done

echo
echo "medians of $ROUNDS rounds (sync vs batched):"
for mode in nonstream stream; do
  for conns in 32 4; do
    b="$mode.$conns.batched" s="$mode.$conns.sync"
    rb="$(tr ' ' '\n' <<<"${RPS[$b]}" | grep . | median)" rs="$(tr ' ' '\n' <<<"${RPS[$s]}" | grep . | median)"
    pb="$(tr ' ' '\n' <<<"${P50[$b]}" | grep . | median)" ps="$(tr ' ' '\n' <<<"${P50[$s]}" | grep . | median)"
    qb="$(tr ' ' '\n' <<<"${P99[$b]}" | grep . | median)" qs="$(tr ' ' '\n' <<<"${P99[$s]}" | grep . | median)"
    awk -v m="$mode" -v c="$conns" -v rb="$rb" -v rs="$rs" -v pb="$pb" -v ps="$ps" -v qb="$qb" -v qs="$qs" 'BEGIN{
      printf "%-9s %2s conns: batched %8.0f req/s p50 %6.3f ms p99 %6.3f ms | sync %8.0f req/s p50 %6.3f ms p99 %6.3f ms | sync/batched %.2fx, p50 %+.3f ms, p99 %+.3f ms\n",
        m, c, rb, pb/1000, qb/1000, rs, ps/1000, qs/1000, rs/rb, (ps-pb)/1000, (qs-qb)/1000 }'
  done
done
rows="$(curl -fsS "$GW/api/usage?period=all&limit=1" -H "authorization: Bearer $ADMIN" | json_get pagination.totalRecords)"
echo "usage records written: $rows"
