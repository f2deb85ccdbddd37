#!/usr/bin/env bash
# Instructions the gateway executes per proxied request, under valgrind's callgrind: a
# machine-load-independent companion to proxy_bench.sh (whose wall-clock figures move with
# whatever else runs on the machine).
#
#   bench/proxy_callgrind.sh [outdir]     # ROUTERLY_BIN overrides build/routerly
#   PROXY_CG_REQUESTS=2000 bench/proxy_callgrind.sh
#
# Same setup as proxy_bench.sh (mock upstream, first admin, one openai model, a project and
# its token). For non-streaming, then streaming chat completions: 200 warm-up requests, the
# counters zeroed, PROXY_CG_REQUESTS (default 1000) requests at 4 connections
# (bench/fixed_load.mjs), one callgrind dump. Prints per request: all instructions, those of
# the usage writer thread (SQLite, off the request path) and the rest (I/O threads). The dumps
# stay in outdir (default: a new /tmp/routerly-callgrind.XXXXXX) for callgrind_annotate.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ROUTERLY_BIN:-$ROOT/build/routerly}"
N="${PROXY_CG_REQUESTS:-1000}"
OUT="${1:-$(mktemp -d /tmp/routerly-callgrind.XXXXXX)}"

for tool in node curl valgrind callgrind_control callgrind_annotate; do
  command -v "$tool" >/dev/null || { echo "proxy_callgrind: '$tool' not found" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "proxy_callgrind: $BIN not found; build it first (make build)" >&2; exit 2; }
mkdir -p "$OUT"

TMP="$(mktemp -d /tmp/routerly-cg-run.XXXXXX)"
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
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out.%p" \
  "$BIN" serve --host 127.0.0.1 --port "$GW_PORT" >"$TMP/gw.out" 2>"$TMP/gw.err" &
GW_PID=$!
for _ in $(seq 600); do curl -fsS "$GW/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$GW/health" >/dev/null || { echo "proxy_callgrind: the gateway did not start:" >&2; cat "$TMP/gw.err" >&2; exit 1; }

post() { curl -fsS -X POST "$GW$1" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$2"; }
ADMIN="$(post /api/setup/first-admin '{"email":"bench@example.com","password":"bench-password-1"}' | json_get token)"
post /api/models "{\"id\":\"openai/gpt-4o\",\"provider\":\"openai\",\"endpoint\":\"$MOCK/v1\",\"apiKey\":\"sk-bench-upstream\",\"inputPrice\":2.5,\"outputPrice\":10}" "$ADMIN" >/dev/null
TOKEN="$(post /api/projects '{"name":"bench","models":["openai/gpt-4o"]}' "$ADMIN" | json_get token)"
body() { printf '{"model":"gpt-4o","messages":[{"role":"user","content":"Benchmark request: please answer briefly."}],"stream":%s}' "$1"; }

for stream in false true; do
  node "$ROOT/bench/fixed_load.mjs" "$GW/v1/chat/completions" "Bearer $TOKEN" "$(body "$stream")" 200 4 >/dev/null
  sleep 1
  callgrind_control -z "$GW_PID" >/dev/null
  result="$(node "$ROOT/bench/fixed_load.mjs" "$GW/v1/chat/completions" "Bearer $TOKEN" "$(body "$stream")" "$N" 4)"
  [ "$(json_get bad <<<"$result")" = 0 ] || echo "proxy_callgrind: warning: failed requests: $result" >&2
  sleep 1  # the usage writer's batch lands inside this dump
  callgrind_control -d "stream=$stream" "$GW_PID" >/dev/null
done
kill -TERM "$GW_PID"
wait "$GW_PID" 2>/dev/null || true
GW_PID=""

printf '%-10s %14s %14s %14s\n' mode 'Ir/request' 'writer Ir/req' 'other Ir/req'
for dump in "$OUT"/callgrind.out.*.[0-9]*; do
  case "$(grep -m1 '^desc: Trigger' "$dump")" in
    *stream=false*) mode=nonstream ;;
    *stream=true*) mode=stream ;;
    *) continue ;;
  esac
  total="$(grep -m1 -E '^(summary|totals):' "$dump" | awk '{print $2}')"
  writer="$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
    awk '!found && /usage::Writer::Writer\(.*lambda\(\)#1/ {gsub(",", "", $1); print $1; found = 1}')"
  writer="${writer:-0}"
  printf '%-10s %14d %14d %14d\n' "$mode" $((total / N)) $((writer / N)) $(((total - writer) / N))
done
echo "dumps: $OUT (callgrind_annotate --inclusive=yes <dump>)"
