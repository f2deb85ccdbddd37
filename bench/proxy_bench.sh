#!/usr/bin/env bash
# Proxy benchmark (issue 3): chat completions through the gateway vs directly against the mock
# upstream, non-streaming and streaming, in one run.
#
#   bench/proxy_bench.sh            # expects build/routerly (make build); ROUTERLY_BIN overrides
#   BENCH_DURATION=5s bench/proxy_bench.sh
#
# Starts tools/mock-upstream (--no-record) and `routerly serve` on 127.0.0.1 with a temporary
# ROUTERLY_HOME, creates the first admin, one openai model pointing at the mock and a project
# with that model and a token; then runs wrk (Debian package `wrk`, script bench/proxy_post.lua)
# at 32 connections (throughput) and 4 connections (latency) for each mode and target.
# Prints requests/s, p50/p99 latency, gateway/direct throughput at 32 connections, the p50 the
# gateway adds at 4 connections and the gateway's peak RSS (VmHWM), each with PASS/MISS against
# the issue-3 targets (≥ 0.30× direct, ≤ 0.2 ms added, ≤ 50 MiB). The targets never change the
# exit status: it is non-zero only when the benchmark itself could not run. Everything it starts
# is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ROUTERLY_BIN:-$ROOT/build/routerly}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
THREADS="${BENCH_THREADS:-2}"

for tool in node curl wrk; do
  command -v "$tool" >/dev/null || { echo "proxy_bench: '$tool' not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "proxy_bench: $BIN not found; build it first (make build)" >&2; exit 2; }

TMP="$(mktemp -d /tmp/routerly-bench.XXXXXX)"
MOCK_PID=""
GW_PID=""
cleanup() {
  for pid in $GW_PID $MOCK_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $GW_PID $MOCK_PID; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# json_get <field path> reads stdin JSON, prints the field (dotted path).
json_get() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))})' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# --- mock upstream -------------------------------------------------------------------------
node "$ROOT/tools/mock-upstream/server.mjs" --port 0 --host 127.0.0.1 --no-record >"$TMP/mock.out" 2>"$TMP/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do [ -s "$TMP/mock.out" ] && break; sleep 0.1; done
MOCK_PORT="$(head -n1 "$TMP/mock.out" | json_get port)"
MOCK="http://127.0.0.1:$MOCK_PORT"

# --- gateway -------------------------------------------------------------------------------
GW_PORT="$(free_port)"
GW="http://127.0.0.1:$GW_PORT"
mkdir -p "$TMP/home"
env ROUTERLY_HOME="$TMP/home" HOME="$TMP/home" ROUTERLY_LOG_LEVEL=warn \
  "$BIN" serve --host 127.0.0.1 --port "$GW_PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
GW_PID=$!
for _ in $(seq 100); do curl -fsS "$GW/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$GW/health" >/dev/null || { echo "proxy_bench: the gateway did not start:" >&2; cat "$TMP/gw.err" >&2; exit 1; }

post() { # post <path> <json> [bearer]
  curl -fsS -X POST "$GW$1" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$2"
}
ADMIN="$(post /api/setup/first-admin '{"email":"bench@example.com","password":"bench-password-1"}' | json_get token)"
post /api/models "{\"id\":\"openai/gpt-4o\",\"provider\":\"openai\",\"endpoint\":\"$MOCK/v1\",\"apiKey\":\"sk-bench-upstream\",\"inputPrice\":2.5,\"outputPrice\":10}" "$ADMIN" >/dev/null
TOKEN="$(post /api/projects '{"name":"bench","models":["openai/gpt-4o"]}' "$ADMIN" | json_get token)"

USER_TEXT="Benchmark request: please answer briefly."
body() { # body <model> <stream:true|false>
  printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"stream":%s}' "$1" "$USER_TEXT" "$2"
}

# Sanity: both targets answer 200 before measuring.
for target in "$GW|$TOKEN" "$MOCK|sk-bench-upstream"; do
  url="${target%%|*}" key="${target#*|}"
  code="$(curl -s -o "$TMP/check.out" -w '%{http_code}' -X POST "$url/v1/chat/completions" \
    -H 'content-type: application/json' -H "authorization: Bearer $key" -d "$(body gpt-4o false)")"
  [ "$code" = 200 ] || { echo "proxy_bench: $url answered $code: $(head -c 300 "$TMP/check.out")" >&2; exit 1; }
done

# run <mode> <target> <conns> <duration>: prints the RESULT line's fields.
run() {
  local mode="$1" target="$2" conns="$3" duration="$4" url auth stream
  if [ "$target" = gateway ]; then url="$GW"; auth="Bearer $TOKEN"; else url="$MOCK"; auth="Bearer sk-bench-upstream"; fi
  [ "$mode" = stream ] && stream=true || stream=false
  BENCH_BODY="$(body gpt-4o "$stream")" BENCH_AUTH="$auth" \
    wrk -t "$([ "$conns" -lt "$THREADS" ] && echo "$conns" || echo "$THREADS")" -c "$conns" -d "$duration" \
    -s "$ROOT/bench/proxy_post.lua" "$url/v1/chat/completions" | grep '^RESULT' | cut -d' ' -f2-
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

declare -A R
printf '%-10s %-8s %5s %10s %9s %9s %8s\n' mode target conns 'req/s' 'p50 ms' 'p99 ms' errors
for mode in nonstream stream; do
  for target in direct gateway; do
    run "$mode" "$target" 32 "$WARMUP" >/dev/null
    for conns in 32 4; do
      out="$(run "$mode" "$target" "$conns" "$DURATION")"
      R[$mode.$target.$conns]="$out"
      errors=$(( $(field "$out" non2xx) + $(field "$out" socket_errors) ))
      printf '%-10s %-8s %5s %10s %9.3f %9.3f %8s\n' "$mode" "$target" "$conns" "$(field "$out" rps)" \
        "$(awk "BEGIN{print $(field "$out" p50_us)/1000}")" "$(awk "BEGIN{print $(field "$out" p99_us)/1000}")" "$errors"
    done
  done
done

verdict() { awk "BEGIN{exit !($1)}" && echo PASS || echo MISS; }
echo
for mode in nonstream stream; do
  for t in gateway direct; do
    for c in 32 4; do
      r="${R[$mode.$t.$c]}"
      if [ $(( $(field "$r" non2xx) + $(field "$r" socket_errors) )) -gt 0 ]; then
        echo "warning: $mode $t $c conns had errors; its figures are not comparable"
      fi
    done
  done
  g="${R[$mode.gateway.32]}" d="${R[$mode.direct.32]}"
  ratio="$(awk "BEGIN{printf \"%.2f\", $(field "$g" rps)/$(field "$d" rps)}")"
  echo "$mode: gateway/direct throughput at 32 conns = ${ratio}x (target >= 0.30x): $(verdict "$ratio >= 0.30")"
  g="${R[$mode.gateway.4]}" d="${R[$mode.direct.4]}"
  added="$(awk "BEGIN{printf \"%.3f\", ($(field "$g" p50_us) - $(field "$d" p50_us))/1000}")"
  echo "$mode: added p50 at 4 conns = ${added} ms (target <= 0.2 ms): $(verdict "$added <= 0.2")"
done
hwm_kb="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$GW_PID/status")"
rss="$(awk "BEGIN{printf \"%.1f\", $hwm_kb/1024}")"
echo "gateway peak RSS (VmHWM) = ${rss} MiB (target <= 50 MiB): $(verdict "$rss <= 50")"
